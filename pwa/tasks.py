from celery import shared_task


@shared_task
def forget_expired_keys() -> int:
    """Periodic (celery beat): delete the idempotency keys that are past their time."""
    from . import services

    return services.forget_expired_keys()
