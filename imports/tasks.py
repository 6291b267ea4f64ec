"""Celery task of the imports: an id in, the service does the work."""

from celery import shared_task


# A lost worker's message is delivered again (acks_late) and the job, still queued, runs again;
# an error ends the job as failed with nothing written, for the user to start again.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import(job_id: str) -> None:
    """Import the job's rows. Idempotent: a job no longer queued is left as it is."""
    from . import services

    services.run_import(job_id=job_id)
