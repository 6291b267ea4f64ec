import hashlib
import json
import logging
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone, translation

from accounts.calendar import UserCalendar
from accounts.models import UserSettings
from accounts.services import settings_for
from goals.models import Goal, ProgressEntry
from plans.models import Plan, PlanReview
from tasks.models import Task

from . import documents, tasks
from .errors import (
    STORAGE_ERRORS,
    STORAGE_MESSAGE,
    TOO_MANY_PENDING_MESSAGE,
    TOO_MANY_PER_HOUR_MESSAGE,
    TOO_SLOW_MESSAGE,
    TRANSIENT_ERRORS,
    UNEXPECTED_MESSAGE,
    WORKER_LOST_MESSAGE,
    QuotaExceeded,
    ReportError,
)
from .models import PENDING, Format, Kind, ReportJob, Status, report_upload_to

logger = logging.getLogger(__name__)


def _running_lease() -> timedelta:
    """How long a worker holds a job it started: its hard time limit and a margin."""
    return timedelta(seconds=settings.REPORT_JOB_LEASE_SECONDS)


def _queued_lease() -> timedelta:
    """How long a job may wait for a worker before its message is sent again (it may be lost:
    a broker that restarted without its data)."""
    return timedelta(seconds=settings.REPORT_QUEUE_LEASE_SECONDS)


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
    now = timezone.now()
    reusable = ReportJob.objects.owned_by(user).reusable(fingerprint=fingerprint, now=now).first()
    if reusable is not None:
        return reusable
    _check_quota(user=user, now=now)
    job = ReportJob.objects.create(
        owner=user,
        kind=kind,
        format=format,
        parameters=parameters,
        fingerprint=fingerprint,
        lease_expires_at=now + _queued_lease(),
    )
    _enqueue(job)
    return job


def _check_quota(*, user, now) -> None:
    """The same limits for the pages and the API, counted in the database (so they hold across
    processes and through a Redis outage): a few jobs pending at once, so many new ones an hour.
    A request answered with an existing job costs nothing."""
    jobs = ReportJob.objects.owned_by(user)
    pending = jobs.filter(status__in=PENDING, lease_expires_at__gte=now).count()
    if pending >= settings.REPORT_MAX_PENDING_PER_USER:
        raise QuotaExceeded(TOO_MANY_PENDING_MESSAGE.format(count=pending), retry_after=30)
    hour_ago = now - timedelta(hours=1)
    recent = jobs.filter(created_at__gte=hour_ago).order_by("created_at")
    if recent.count() >= settings.REPORT_JOBS_PER_HOUR:
        oldest = recent.values_list("created_at", flat=True).first()
        wait = int((oldest - hour_ago).total_seconds()) + 1 if oldest else 3600
        raise QuotaExceeded(
            TOO_MANY_PER_HOUR_MESSAGE.format(count=settings.REPORT_JOBS_PER_HOUR),
            retry_after=max(wait, 1),
        )


def _enqueue(job: ReportJob) -> None:
    job_id = str(job.pk)
    # robust: with the broker down the request still succeeds (the error is logged) and the
    # job waits, queued; `recover_expired_jobs` sends it again when its queue lease runs out.
    transaction.on_commit(lambda: tasks.render_report.delay(job_id), robust=True)


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
    if not ReportJob.objects.claim(job_id, now=timezone.now(), lease=_running_lease()):
        # Deleted by the cleanup, finished, or held by a live worker: a redelivered message.
        return
    job = ReportJob.objects.select_related("owner").get(pk=job_id)
    # The document (and a failure's message) speaks its owner's language, not the worker's.
    with translation.override(_language_of(job.owner_id)):
        _render(job)


def _render(job: ReportJob) -> None:
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
        _release(job)  # the task's retry claims it again
        raise
    except ReportError as exc:
        _fail(job, str(exc))
    except SoftTimeLimitExceeded:
        _fail(job, str(TOO_SLOW_MESSAGE))
    except Exception:
        logger.exception("Report %s failed", job.pk)
        _fail(job, str(UNEXPECTED_MESSAGE))


def _release(job: ReportJob) -> None:
    """Give a started job back to the queue. Best effort: with the database down, its lease
    runs out instead and `recover_expired_jobs` sends it again."""
    try:
        ReportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
            status=Status.QUEUED, started_at=None, lease_expires_at=timezone.now() + _queued_lease()
        )
    except TRANSIENT_ERRORS:
        logger.warning("Could not give report %s back to the queue", job.pk, exc_info=True)


def _language_of(user_id) -> str:
    """The language a user chose in their settings (the site's default without a choice)."""
    chosen = UserSettings.objects.filter(user_id=user_id).values_list("language", flat=True)
    return chosen.first() or settings.LANGUAGE_CODE


def _fail(job: ReportJob, message: str) -> None:
    try:
        _discard_file(job)
    except Exception:
        # The job must still end as failed; the cleanup tries the file again later.
        logger.exception("Could not delete the file of failed report %s", job.pk)
    # The message is stored as words, in the owner's language.
    with translation.override(_language_of(job.owner_id)):
        job.mark_failed(str(message))


def fail_job(*, job_id, message: str) -> None:
    """Fail a job that is not finished yet (its retries ran out, or it stalled)."""
    job = ReportJob.objects.filter(pk=job_id).first()
    if job is not None and not job.is_finished:
        _fail(job, message)


def recover_expired_jobs(*, now=None) -> tuple[int, int]:
    """Jobs whose lease ran out -- their worker was killed, or their message was lost -- are
    sent again, or failed once they have had REPORT_JOB_MAX_ATTEMPTS deliveries.

    Returns (retried, failed). A retried job renders into its one fixed file name, so it still
    ends with exactly one file, whatever the killed attempt left behind.
    """
    now = now or timezone.now()
    retried = failed = 0
    for job_id in ReportJob.objects.lease_expired(now).values_list("pk", flat=True):
        with transaction.atomic():
            job = ReportJob.objects.select_for_update().lease_expired(now).filter(pk=job_id)
            job = job.first()
            if job is None:  # finished or claimed meanwhile
                continue
            if job.attempts >= settings.REPORT_JOB_MAX_ATTEMPTS:
                logger.warning("Report %s lost its worker %s times", job.pk, job.attempts)
                _fail(job, str(WORKER_LOST_MESSAGE))
                failed += 1
            else:
                logger.warning("Report %s lost its worker or message; sending it again", job.pk)
                job.requeue(lease=_queued_lease(), now=now)
                _enqueue(job)
                retried += 1
    return retried, failed


def clean_up_reports(*, now=None) -> int:
    """Delete finished jobs older than REPORTS_KEEP_DAYS and their files.

    Returns the number of jobs deleted. Each file goes before its row, so a crash midway leaves
    at worst a row without a file (deleted next time), never an unreachable file.
    """
    now = now or timezone.now()
    deleted = 0
    old = ReportJob.objects.finished_before(now - timedelta(days=settings.REPORTS_KEEP_DAYS))
    for job in old.iterator():
        _discard_file(job)
        job.delete()
        deleted += 1
    return deleted
