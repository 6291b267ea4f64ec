"""Jobs run by a real Celery worker process (tests/worker.py), on the test database.

The tests use `transactional_db`, so the rows they write are committed and the worker sees them.
"""

import csv
import io
import time

import pytest
from django.db import transaction
from pypdf import PdfReader

from plans.services import delete_plan
from reports import errors, services
from reports.models import Format, ReportJob, Status

from .conftest import UKRAINIAN_GOAL, build_plan, local_storages, open_archive

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

JOB_TIMEOUT = 90


@pytest.fixture
def worker(celery_worker, settings, worker_reports):
    """The worker, with this test process reading report files where the worker writes them."""
    settings.STORAGES = local_storages(worker_reports)
    return celery_worker


def wait_until_finished(job_id, log) -> ReportJob:
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        job = ReportJob.objects.get(pk=job_id)
        if job.is_finished:
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"Job {job_id} still {job.status}; worker log:\n{log.read_text()[-3000:]}")
        time.sleep(0.25)


def test_the_worker_makes_the_plan_report_pdf(api_client, user, worker):
    plan = build_plan(user)

    accepted = api_client.get(f"/api/pdps/{plan.pk}/report")

    assert accepted.status_code == 202
    job = wait_until_finished(accepted.json()["id"], worker)
    assert job.status == Status.READY, job.error
    body = api_client.get(accepted["Location"]).json()
    download = api_client.get(body["download_url"])
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert UKRAINIAN_GOAL in text
    assert "Run a half marathon" in text


def test_the_worker_makes_the_csv_export(api_client, user, worker):
    build_plan(user)

    accepted = api_client.get("/api/analytics/export?format=csv&bom=1")

    job = wait_until_finished(accepted.json()["id"], worker)
    assert job.status == Status.READY, job.error
    download = api_client.get(f"/api/reports/{job.pk}/download")
    archive = open_archive(b"".join(download.streaming_content))
    goals = list(csv.DictReader(io.TextIOWrapper(archive.open("goals.csv"), "utf-8-sig")))
    assert {row["title"] for row in goals} == {UKRAINIAN_GOAL, "Run a half marathon"}
    assert archive.read("tasks.csv").startswith(b"\xef\xbb\xbf")


def test_a_plan_deleted_before_the_worker_runs_ends_as_failed_with_the_reason(user, worker):
    plan = build_plan(user)

    with transaction.atomic():  # the job is enqueued when this commits, after the deletion
        job = services.request_plan_report(user=user, plan=plan)
        delete_plan(plan=plan)

    job = wait_until_finished(job.pk, worker)
    assert job.status == Status.FAILED
    assert job.error == errors.PLAN_GONE_MESSAGE
    assert not job.file


def test_the_worker_reuses_nothing_for_changed_data_and_both_jobs_finish(user, worker):
    build_plan(user, goals=1)
    first = services.request_analytics_export(user=user, format=Format.PDF)
    build_plan(user, goals=1)
    second = services.request_analytics_export(user=user, format=Format.PDF)

    assert first.pk != second.pk
    assert wait_until_finished(first.pk, worker).status == Status.READY
    assert wait_until_finished(second.pk, worker).status == Status.READY
