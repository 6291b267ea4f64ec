"""The job lifecycle: enqueue on commit, reuse, idempotent retries, failures, clean-up."""

import datetime
import logging
import socket
import threading
import time

import pytest
from botocore.config import Config
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from goals.services import log_progress
from plans.services import delete_plan, update_plan
from reports import errors, services, tasks
from reports.models import Format, InvalidTransition, Kind, ReportJob, Status, report_upload_to
from reports.storage import report_storage
from tasks.factories import TaskFactory

from .conftest import local_storages

pytestmark = pytest.mark.django_db


def files_of(user) -> list[str]:
    folder = str(user.pk)
    return report_storage.listdir(folder)[1] if report_storage.exists(folder) else []


def make_job(user, **fields) -> ReportJob:
    fields = {"kind": Kind.ANALYTICS_EXPORT, "format": Format.CSV, **fields}
    return ReportJob.objects.create(owner=user, **fields)


# --- requesting ------------------------------------------------------------------------------


def test_a_request_is_queued_and_enqueued_only_when_the_transaction_commits(
    user, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = services.request_plan_report(user=user, plan=plan)

    assert job.status == Status.QUEUED
    assert job.parameters == {"plan": str(plan.pk)}
    assert job.owner == user
    assert len(callbacks) == 1
    assert not job.file


def test_the_same_request_for_unchanged_data_reuses_the_last_ready_report(user, plan, run_jobs):
    with run_jobs():
        first = services.request_plan_report(user=user, plan=plan)
    with run_jobs() as callbacks:
        again = services.request_plan_report(user=user, plan=plan)

    assert again.pk == first.pk
    assert again.status == Status.READY
    assert callbacks == []  # nothing was enqueued
    assert ReportJob.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda plan: update_plan(plan=plan, title="Renamed"),
        lambda plan: log_progress(goal=plan.goals.first(), value=77),
        lambda plan: plan.goals.first().tasks.first().complete(),
        lambda plan: plan.goals.first().tasks.last().delete(),
        lambda plan: TaskFactory(user=plan.user),
    ],
    ids=["plan edited", "progress logged", "task completed", "task deleted", "task added"],
)
def test_a_change_of_the_data_makes_a_new_report(user, plan, run_jobs, change):
    with run_jobs():
        first = services.request_plan_report(user=user, plan=plan)

    change(plan)
    with run_jobs():
        second = services.request_plan_report(user=user, plan=plan)

    assert second.pk != first.pk
    assert second.fingerprint != first.fingerprint


@pytest.mark.parametrize("status", [Status.QUEUED, Status.RUNNING])
def test_a_request_while_the_same_one_is_queued_or_running_gets_that_job(
    user, status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        first = services.request_analytics_export(user=user, format=Format.PDF)
    if status == Status.RUNNING:
        first.start()

    with django_capture_on_commit_callbacks() as callbacks:
        again = services.request_analytics_export(user=user, format=Format.PDF)

    assert again.pk == first.pk
    assert again.status == status
    assert callbacks == []  # no second render queued
    assert ReportJob.objects.count() == 1


def test_a_failed_job_is_not_reused(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        failed = services.request_analytics_export(user=user, format=Format.PDF)
    failed.mark_failed("Broken")

    with django_capture_on_commit_callbacks() as callbacks:
        again = services.request_analytics_export(user=user, format=Format.PDF)

    assert again.pk != failed.pk
    assert len(callbacks) == 1


@pytest.mark.parametrize("status", [Status.QUEUED, Status.RUNNING])
def test_a_job_whose_lease_expired_is_not_reused(user, status, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        stalled = services.request_analytics_export(user=user, format=Format.PDF)
    ReportJob.objects.filter(pk=stalled.pk).update(
        status=status, lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    with django_capture_on_commit_callbacks() as callbacks:
        again = services.request_analytics_export(user=user, format=Format.PDF)

    assert again.pk != stalled.pk
    assert len(callbacks) == 1


def test_a_new_week_start_makes_a_new_report(user, run_jobs):
    # "This week" figures (done this week, due this week) move with the first day of the week.
    with run_jobs():
        first = services.request_analytics_export(user=user, format=Format.PDF)
    user.settings.week_start = 6  # Sunday
    user.settings.save()

    with run_jobs():
        second = services.request_analytics_export(user=user, format=Format.PDF)

    assert second.pk != first.pk
    assert second.fingerprint != first.fingerprint


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_make_one_job(user, eager_celery):
    """The second request waits for the first one's transaction, then reuses its job."""
    waiting = threading.Event()
    answers = []

    def second_request():
        try:
            answers.append(services.request_analytics_export(user=user, format=Format.CSV))
        finally:
            connection.close()

    with transaction.atomic():
        first = services.request_analytics_export(user=user, format=Format.CSV)
        thread = threading.Thread(target=second_request)
        thread.start()
        # Without the lock the second request finishes at once with a job of its own (it cannot
        # see the first, not committed yet); with it, it waits for this transaction.
        deadline = time.monotonic() + 10
        while thread.is_alive() and not waiting.is_set() and time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND datname = current_database()"
                )
                if cursor.fetchone()[0]:
                    waiting.set()
            time.sleep(0.05)
    thread.join(timeout=30)

    assert waiting.is_set()
    assert [job.pk for job in answers] == [first.pk]
    assert ReportJob.objects.count() == 1


def test_another_users_identical_data_does_not_share_a_report(user, other_user, run_jobs):
    with run_jobs():
        mine = services.request_analytics_export(user=user, format=Format.CSV)
        theirs = services.request_analytics_export(user=other_user, format=Format.CSV)

    assert mine.pk != theirs.pk
    assert theirs.owner == other_user


# --- running ---------------------------------------------------------------------------------


def test_a_finished_job_is_ready_with_its_file_under_a_fixed_name(user, plan, run_jobs):
    with run_jobs():
        job = services.request_plan_report(user=user, plan=plan)

    job.refresh_from_db()
    assert job.status == Status.READY
    assert job.file.name == f"{user.pk}/{job.pk}.pdf"
    assert job.started_at <= job.finished_at
    assert job.error == ""
    assert files_of(user) == [f"{job.pk}.pdf"]


def test_a_retry_after_the_file_was_stored_replaces_it_instead_of_adding_a_second(user):
    job = make_job(user)
    # A previous attempt stored its file, then lost the database before marking the job ready.
    # That attempt gave the job back to the queue for its retry.
    report_storage.save(report_upload_to(job, ""), ContentFile(b"stale half-finished run"))

    services.render_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Status.READY
    assert files_of(user) == [f"{job.pk}.zip"]
    with job.file.open("rb") as handle:
        assert handle.read(2) == b"PK"  # the new ZIP, not the stale bytes


def test_a_redelivered_message_for_a_finished_job_changes_nothing(user, run_jobs):
    with run_jobs():
        job = services.request_analytics_export(user=user, format=Format.CSV)
    job.refresh_from_db()
    finished_at = job.finished_at

    tasks.render_report.apply(args=[str(job.pk)])

    job.refresh_from_db()
    assert job.finished_at == finished_at
    assert files_of(user) == [f"{job.pk}.zip"]


def test_a_job_deleted_before_it_runs_is_skipped(user):
    job = make_job(user)
    job_id = job.pk
    job.delete()

    services.render_job(job_id=job_id)

    assert not ReportJob.objects.exists()


def test_a_plan_deleted_before_its_job_runs_ends_the_job_as_failed_with_the_reason(
    user, plan, django_capture_on_commit_callbacks, eager_celery
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = services.request_plan_report(user=user, plan=plan)
    delete_plan(plan=plan)

    callbacks[0]()  # the worker picks the job up now

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == errors.PLAN_GONE_MESSAGE
    assert not job.file
    assert job.finished_at is not None
    assert files_of(user) == []


def test_a_storage_that_refuses_the_file_fails_the_job_with_a_message(
    user, settings, tmp_path, run_jobs
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the reports folder should be")
    settings.STORAGES = local_storages(blocker / "reports")

    with run_jobs():
        job = services.request_analytics_export(user=user, format=Format.CSV)

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == errors.STORAGE_MESSAGE
    assert not job.file


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_storage_is_retried_then_the_job_fails_saying_why(
    user, settings, eager_celery_keeping_errors, caplog
):
    settings.STORAGES = {
        **settings.STORAGES,
        "reports": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    settings.AWS_STORAGE_BUCKET_NAME = "reports"
    settings.AWS_S3_ENDPOINT_URL = f"http://127.0.0.1:{closed_port()}"
    settings.AWS_S3_ACCESS_KEY_ID = "test"
    settings.AWS_S3_SECRET_ACCESS_KEY = "test"
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_S3_CLIENT_CONFIG = Config(retries={"total_max_attempts": 1}, connect_timeout=1)
    job = make_job(user)

    with caplog.at_level(logging.INFO, logger="celery.app.trace"):
        result = tasks.render_report.apply(args=[str(job.pk)])

    retries = [record for record in caplog.records if " retry: " in record.getMessage()]
    assert len(retries) == tasks.render_report.max_retries == 5
    assert isinstance(result.result, errors.TRANSIENT_ERRORS)
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == errors.UNAVAILABLE_MESSAGE
    assert not job.file


# --- the model's states ----------------------------------------------------------------------


def test_state_changes_follow_queued_running_then_ready_or_failed(user):
    job = make_job(user)
    with pytest.raises(InvalidTransition):
        job.mark_ready()  # not running, no file

    job.start()
    assert job.status == Status.RUNNING
    job.mark_failed("Broken")
    assert (job.status, job.error) == (Status.FAILED, "Broken")

    with pytest.raises(InvalidTransition):
        job.start()
    with pytest.raises(InvalidTransition):
        job.mark_failed("Again")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.READY, "finished_at": timezone.now()},  # ready without a file
        {"status": Status.FAILED, "finished_at": timezone.now()},  # failed without a reason
        {"status": Status.QUEUED, "file": "reports/x.zip"},  # a file before it is ready
        {"status": Status.READY, "file": "reports/x.zip"},  # finished without finished_at
        {"status": Status.RUNNING, "finished_at": timezone.now()},  # unfinished with one
        {"kind": Kind.PLAN_REPORT, "format": Format.CSV},  # a plan report is a PDF
        {"status": "done"},
        {"kind": "invoice"},
        {"format": "doc"},
    ],
)
def test_the_database_refuses_inconsistent_jobs(user, fields):
    with pytest.raises(IntegrityError):
        make_job(user, **fields)


# --- clean-up --------------------------------------------------------------------------------


def test_the_clean_up_deletes_old_reports_and_their_files_and_keeps_recent_ones(
    user, run_jobs, settings
):
    settings.REPORTS_KEEP_DAYS = 7
    with run_jobs():
        old = services.request_analytics_export(user=user, format=Format.CSV)
        recent = services.request_analytics_export(user=user, format=Format.CSV, bom=True)
    ReportJob.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=8)
    )

    deleted = tasks.clean_up_reports.apply().get()

    assert deleted == 1
    assert list(ReportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert files_of(user) == [f"{recent.pk}.zip"]


def test_jobs_whose_lease_expired_are_sent_again_then_failed(
    user, settings, django_capture_on_commit_callbacks
):
    now = timezone.now()
    expired = now - datetime.timedelta(seconds=1)
    lost = make_job(user, status=Status.RUNNING, lease_expires_at=expired)
    lost_message = make_job(user, status=Status.QUEUED, lease_expires_at=expired)
    worn_out = make_job(
        user, status=Status.RUNNING, lease_expires_at=expired, attempts=3, fingerprint="x"
    )
    held = make_job(user, status=Status.RUNNING, lease_expires_at=now + datetime.timedelta(1))
    settings.REPORT_JOB_MAX_ATTEMPTS = 3

    with django_capture_on_commit_callbacks() as callbacks:
        assert services.recover_expired_jobs(now=now) == (2, 1)

    assert len(callbacks) == 2  # the two retried jobs are sent to the workers again
    for job in (lost, lost_message):
        job.refresh_from_db()
        assert (job.status, job.attempts) == (Status.QUEUED, 2)
        assert job.lease_expires_at > now
    worn_out.refresh_from_db()
    assert worn_out.status == Status.FAILED
    assert worn_out.error == errors.WORKER_LOST_MESSAGE
    held.refresh_from_db()
    assert held.status == Status.RUNNING


def test_a_redelivered_message_of_a_job_held_by_a_live_worker_does_nothing(user):
    job = make_job(user)
    job.start()

    services.render_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Status.RUNNING
    assert not job.file


def test_expired_jobs_are_recovered_every_minute_under_celery_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reports-recover-expired"]
    assert entry["task"] == tasks.recover_expired_jobs.name
    assert entry["schedule"] == datetime.timedelta(minutes=1)


def test_the_clean_up_runs_every_hour_under_celery_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reports-clean-up"]
    assert entry["task"] == tasks.clean_up_reports.name
    assert entry["schedule"] == datetime.timedelta(hours=1)
