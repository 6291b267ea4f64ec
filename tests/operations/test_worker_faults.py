"""Fault tests with real processes: a Redis broker of the test's own that drops during a job,
and a worker that reconnects and keeps beating. The worker runs on the test database."""

import time

import pytest
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from bakhmach.celery import app as celery_app
from lib import heartbeat
from reports import services
from reports.models import Format, Kind, ReportJob, Status
from reports.tasks import render_report
from tests.reports.conftest import build_plan, local_storages

from .processes import RedisServer, Worker, database_url, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def reports_root(tmp_path, settings):
    root = tmp_path / "reports"
    settings.STORAGES = local_storages(root)
    return root


def start_worker(tmp_path, broker, reports_root, **environment) -> Worker:
    return Worker(
        tmp_path / "worker.log",
        {
            "DATABASE_URL": database_url(connection.settings_dict),
            "CELERY_BROKER_URL": broker.url,
            "REPORTS_ROOT": str(reports_root),
            "AWS_STORAGE_BUCKET_NAME": "",
            **environment,
        },
    )


def enqueue(broker, job: ReportJob) -> None:
    """Send the job's message to the test's own broker (not the suite's)."""
    with celery_app.connection_for_write(broker.url) as conn:
        render_report.apply_async(args=[str(job.pk)], connection=conn)


def new_job(user, plan) -> ReportJob:
    return ReportJob.objects.create(
        owner=user, kind=Kind.PLAN_REPORT, format=Format.PDF, parameters={"plan": str(plan.pk)}
    )


def status_of(job) -> str:
    return ReportJob.objects.get(pk=job.pk).status


def test_the_worker_survives_redis_dropping_during_a_job(tmp_path, broker, reports_root, user):
    heartbeat.cache.delete(heartbeat.KEY)
    worker = start_worker(tmp_path, broker, reports_root)
    try:
        assert heartbeat.status() == (True, "ok")
        plan = build_plan(user, goals=2, tasks_per_goal=200)  # a PDF of a few seconds
        running = new_job(user, plan)
        enqueue(broker, running)
        wait_for(lambda: status_of(running) == Status.RUNNING, timeout=60, what="the job to run")

        broker.stop()  # Redis goes away with the job's message unacknowledged
        time.sleep(1)
        broker.start()

        later = new_job(user, plan)
        enqueue(broker, later)
        wait_for(
            lambda: status_of(later) == Status.READY,
            timeout=120,
            what="a job sent after the outage to be made",
            log=worker.log,
        )
        assert worker.alive()
        assert "Unrecoverable error" not in worker.log.read_text()
        # The job in flight finished in its pool process all the same.
        assert status_of(running) == Status.READY
        beat_after_outage = max(heartbeat.last_beats().values())
        assert time.time() - beat_after_outage < heartbeat.INTERVAL + 5
    finally:
        worker.stop()


def test_a_killed_worker_stops_beating(tmp_path, broker, reports_root):
    heartbeat.cache.delete(heartbeat.KEY)
    worker = start_worker(tmp_path, broker, reports_root)
    worker.kill()
    last_beat = max(heartbeat.last_beats().values())

    # As time passes without a beat, the worker shows as gone.
    alive, description = heartbeat.status(now=last_beat + heartbeat.STALE_AFTER + 5)
    assert not alive
    assert description.startswith("no worker heartbeat for 6")


@pytest.fixture
def jobs_sent_to(broker):
    """Jobs this process enqueues (on commit) go to the test's own broker, then back."""
    previous = celery_app.conf.get("broker_write_url")

    def send_to(url):
        celery_app.conf.broker_write_url = url
        # Forget the pooled connections and producers made for the previous broker.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    send_to(broker.url)
    yield broker
    send_to(previous)


def test_a_job_whose_worker_is_killed_is_retried_and_yields_one_file(
    tmp_path, broker, reports_root, user, jobs_sent_to
):
    plan = build_plan(user, goals=2, tasks_per_goal=200)
    doomed = Worker(
        tmp_path / "doomed.log",
        {
            "DATABASE_URL": database_url(connection.settings_dict),
            "CELERY_BROKER_URL": broker.url,
            "REPORTS_ROOT": str(reports_root),
            "AWS_STORAGE_BUCKET_NAME": "",
            "REPORT_JOB_LEASE_SECONDS": "3",  # a short lease, so that the test need not wait
        },
        pool="solo",  # the job runs in the very process that is killed
    )
    try:
        job = services.request_plan_report(user=user, plan=plan)
        wait_for(
            lambda: status_of(job) == Status.RUNNING,
            timeout=60,
            what="the job to run",
            log=doomed.log,
        )
    finally:
        doomed.kill()

    # Still "running", but only until its lease runs out; then asking again does not hand out
    # the dead job, and the recovery sends it to a worker again.
    wait_for(
        lambda: ReportJob.objects.lease_expired(timezone.now()).filter(pk=job.pk).exists(),
        timeout=10,
        what="the lease to run out",
    )
    again = services.request_plan_report(user=user, plan=plan)
    assert again.pk != job.pk
    assert services.recover_expired_jobs() == (1, 0)

    worker = start_worker(tmp_path, broker, reports_root)
    try:
        for each in (job, again):
            wait_for(
                lambda each=each: status_of(each) == Status.READY,
                timeout=120,
                what="the jobs to be made",
                log=worker.log,
            )
    finally:
        worker.stop()
    job.refresh_from_db()
    assert job.attempts == 2
    assert sorted(path.name for path in (reports_root / str(user.pk)).iterdir()) == sorted(
        [f"{job.pk}.pdf", f"{again.pk}.pdf"]
    )
    with job.file.open("rb") as handle:
        assert len(PdfReader(handle).pages) > 2
