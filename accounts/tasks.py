from celery import shared_task

from . import services


@shared_task
def flush_expired_tokens():
    """Rows of expired refresh tokens (outstanding and blacklisted) only grow: drop them daily."""
    services.purge_expired_tokens()
