import hashlib
import json
import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from accounts.calendar import UserCalendar
from accounts.services import settings_for
from goals.models import Goal, ProgressEntry
from plans.models import Plan, PlanReview
from tasks.models import Task

from . import documents, tasks
from .errors import (
    STALLED_MESSAGE,
    STORAGE_ERRORS,
    STORAGE_MESSAGE,
    TOO_SLOW_MESSAGE,
    TRANSIENT_ERRORS,
    UNEXPECTED_MESSAGE,
    ReportError,
)
from .models import Format, Kind, ReportJob, report_upload_to

logger = logging.getLogger(__name__)

# A job still queued or running this long after its request was lost (worker killed by the hard
# time limit, broker message gone); it is longer than all retries of one job can take.
STALLED_AFTER = timedelta(hours=1)


def data_fingerprint(*, user, kind: str, format: str, parameters: dict) -> str:
    """A digest of the request and of everything the document shows.

    Every write to a plan, goal or task moves its `updated_at`, a new progress entry adds to
    the log, and a deletion lowers a count, so any change gives a new digest. The owner's
    "today", time zone, week start and language are in it too: overdue counts, dates and
    "this week" figures depend on them.
    """
    preferences = settings_for(user)
    today = UserCalendar.of(user, user_settings=preferences).today
    figures = [
        Plan.objects.owned_by(user).aggregate(count=Count("pk"), last=Max("updated_at")),
        Goal.objects.owned_by(user).aggregate(count=Count("pk"), last=Max("updated_at")),
        Task.objects.owned_by(user).aggregate(count=Count("pk"), last=Max("updated_at")),
        ProgressEntry.objects.filter(goal__user=user).aggregate(
            count=Count("pk"), last=Max("updated_at")
        ),
        PlanReview.objects.filter(plan__user=user).aggregate(
            count=Count("pk"), last=Max("created_at")
        ),
    ]
    payload = [
        kind,
        format,
        parameters,
        today,
        preferences.timezone,
        preferences.week_start,
        preferences.language,
        figures,
    ]
    encoded = json.dumps(payload, default=str, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def _request(*, user, kind: str, format: str, parameters: dict) -> ReportJob:
    """The job of this request: one made (or being made) from the same data, else a new one.

    The owner's row is locked first, so of two requests at once (a double click) the second
    waits and then finds the first one's job instead of queueing a second render.
    """
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
    fingerprint = data_fingerprint(user=user, kind=kind, format=format, parameters=parameters)
    reusable = (
        ReportJob.objects.owned_by(user)
        .reusable(fingerprint=fingerprint, pending_since=timezone.now() - STALLED_AFTER)
        .first()
    )
    if reusable is not None:
        return reusable
    job = ReportJob.objects.create(
        owner=user, kind=kind, format=format, parameters=parameters, fingerprint=fingerprint
    )
    job_id = str(job.pk)
    transaction.on_commit(lambda: tasks.render_report.delay(job_id))
    return job


@transaction.atomic
def request_plan_report(*, user, plan: Plan) -> ReportJob:
    """The PDF report of `plan`: the one made or being made if nothing changed since, else a
    new job."""
    return _request(
        user=user, kind=Kind.PLAN_REPORT, format=Format.PDF, parameters={"plan": str(plan.pk)}
    )


@transaction.atomic
def request_analytics_export(*, user, format: str, bom: bool = False) -> ReportJob:
    """The analytics export as PDF or CSV (ZIP); `bom` starts each CSV with a UTF-8 BOM."""
    parameters = {"bom": bom} if format == Format.CSV else {}
    return _request(user=user, kind=Kind.ANALYTICS_EXPORT, format=format, parameters=parameters)


def _renderer(job: ReportJob):
    if job.kind == Kind.PLAN_REPORT:
        return documents.plan_report
    if job.format == Format.PDF:
        return documents.analytics_pdf
    return documents.analytics_csv


def _discard_file(job: ReportJob) -> None:
    # The file lives under the job's one fixed name, whether or not the job row knows it yet.
    names = {name for name in (report_upload_to(job, ""), job.file.name) if name}
    for name in names:
        job.file.storage.delete(name)


def _store(job: ReportJob, content) -> None:
    # A previous attempt may have stored the file and then lost the database before marking
    # the job ready: replace that file rather than storing a second one beside it.
    _discard_file(job)
    job.file.save(report_upload_to(job, ""), content, save=False)


def render_job(*, job_id) -> None:
    """Render, store and finish one job; the worker's task calls this with the job's id.

    Not one transaction: `start()` commits at once so the owner sees "running", and the file
    is stored before the job is marked ready, so a ready job always has its whole file.
    Transient errors propagate (the task retries them); any other error fails the job.
    """
    job = ReportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.is_finished:
        return  # deleted by the cleanup, or a redelivered message for a job already done
    job.start()
    try:
        with _renderer(job)(job) as content:
            try:
                _store(job, content)
            except TRANSIENT_ERRORS:
                raise
            except STORAGE_ERRORS as exc:
                logger.exception("Storing report %s failed", job.pk)
                raise ReportError(STORAGE_MESSAGE) from exc
        job.mark_ready()
    except TRANSIENT_ERRORS:
        raise
    except ReportError as exc:
        _fail(job, str(exc))
    except SoftTimeLimitExceeded:
        _fail(job, TOO_SLOW_MESSAGE)
    except Exception:
        logger.exception("Report %s failed", job.pk)
        _fail(job, UNEXPECTED_MESSAGE)


def _fail(job: ReportJob, message: str) -> None:
    try:
        _discard_file(job)
    except Exception:
        # The job must still end as failed; the cleanup tries the file again later.
        logger.exception("Could not delete the file of failed report %s", job.pk)
    job.mark_failed(message)


def fail_job(*, job_id, message: str) -> None:
    """Fail a job that is not finished yet (its retries ran out, or it stalled)."""
    job = ReportJob.objects.filter(pk=job_id).first()
    if job is not None and not job.is_finished:
        _fail(job, message)


def clean_up_reports(*, now=None) -> int:
    """Fail stalled jobs, then delete finished jobs older than REPORTS_KEEP_DAYS and their files.

    Returns the number of jobs deleted. Each file goes before its row, so a crash midway leaves
    at worst a row without a file (deleted next time), never an unreachable file.
    """
    now = now or timezone.now()
    for job in ReportJob.objects.stalled_since(now - STALLED_AFTER).iterator():
        fail_job(job_id=job.pk, message=STALLED_MESSAGE)
    deleted = 0
    old = ReportJob.objects.finished_before(now - timedelta(days=settings.REPORTS_KEEP_DAYS))
    for job in old.iterator():
        _discard_file(job)
        job.delete()
        deleted += 1
    return deleted
