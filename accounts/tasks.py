from celery import shared_task
from django.core.management import call_command


@shared_task
def flush_expired_tokens():
    """Rows of expired refresh tokens (outstanding and blacklisted) only grow: drop them daily."""
    call_command("flushexpiredtokens", verbosity=0)
