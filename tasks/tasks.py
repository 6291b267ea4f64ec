from celery import shared_task


@shared_task
def send_due_reminders():
    """Run every minute by celery beat: the reminders whose moment has come go out once."""
    from . import services

    services.send_due_reminders()
