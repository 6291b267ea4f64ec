"""Celery tasks of the GitHub integration: ids in, a service call, retries owned here."""

from celery import Task, shared_task
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from .client import GitHubUnavailable, RateLimited

UNAVAILABLE_MESSAGE = _("GitHub did not answer for a while; the next sync tries again.")
RATE_LIMITED_MESSAGE = _("GitHub's rate limit held for too long; the next sync tries again.")
UNEXPECTED_MESSAGE = _("The sync failed unexpectedly; the next sync tries again.")


class SyncTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Reached when the retries ran out (or on an unexpected error): the job still ends.
        from . import services

        if isinstance(exc, RateLimited):
            message = RATE_LIMITED_MESSAGE
        elif isinstance(exc, GitHubUnavailable):
            message = UNAVAILABLE_MESSAGE
        else:
            message = UNEXPECTED_MESSAGE
        services.fail_sync(run_id=kwargs.get("run_id") or args[0], message=str(message))


@shared_task(bind=True, base=SyncTask, acks_late=True, reject_on_worker_lost=True, max_retries=8)
def sync(self, run_id: str) -> None:
    """Run a sync job. A rate limit longer than a job may wait in place, or GitHub being
    unavailable, reschedules it; it resumes where it stopped, without duplicates."""
    from . import services

    try:
        services.run_sync(run_id=run_id)
    except RateLimited as exc:
        raise self.retry(countdown=exc.wait + 1, exc=exc) from exc
    except (GitHubUnavailable, IntegrityError) as exc:
        # IntegrityError: a webhook imported the same item meanwhile; the page is read again.
        raise self.retry(countdown=min(2**self.request.retries * 5, 300), exc=exc) from exc


@shared_task(
    acks_late=True,
    autoretry_for=(IntegrityError,),
    max_retries=3,
    retry_backoff=1,
)
def process_delivery(delivery_id: int) -> None:
    from . import services

    services.process_delivery(delivery_id=delivery_id)


@shared_task
def sync_all() -> int:
    """Periodic (celery beat): a sync of every connected account."""
    from . import services

    return services.request_periodic_syncs()


@shared_task
def forget_old_deliveries() -> int:
    """Periodic (celery beat): forget delivery ids older than those GitHub redelivers."""
    from . import services

    return services.forget_old_deliveries()
