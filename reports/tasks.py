"""Celery tasks of the reports: thin wrappers that own retries and hand the work to services.

Each imports its service inside the body: the services enqueue these tasks, so the module
imports stay one way (services -> tasks).
"""

from celery import Task, shared_task

from .errors import TRANSIENT_ERRORS, UNAVAILABLE_MESSAGE


class ReportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Reached when the retries of a transient error ran out: the job still ends, saying why.
        from . import services

        job_id = kwargs.get("job_id") or args[0]
        services.fail_job(job_id=job_id, message=str(UNAVAILABLE_MESSAGE))


@shared_task(
    base=ReportTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=5,
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
)
def render_report(job_id: str) -> None:
    """Render the job's document. Idempotent: a job already finished is left as it is.

    The project-wide CELERY_TASK_TIME_LIMIT and its soft limit bound it; at the soft limit the
    service fails the job ("took too long").
    """
    from . import services

    services.render_job(job_id=job_id)


@shared_task
def clean_up_reports() -> int:
    """Periodic (celery beat): delete old reports and their files."""
    from . import services

    return services.clean_up_reports()


@shared_task
def recover_expired_jobs() -> tuple[int, int]:
    """Periodic (celery beat): retry or fail the jobs whose worker or message was lost."""
    from . import services

    return services.recover_expired_jobs()
