"""Quotas of new report jobs: the same on the pages and the API, counted in the database."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bakhmach.celery import app as celery_app
from plans.factories import PlanFactory
from reports.models import Format, Kind, ReportJob, Status

pytestmark = pytest.mark.django_db


def pending_jobs(user, count):
    lease = timezone.now() + datetime.timedelta(minutes=5)
    for number in range(count):
        ReportJob.objects.create(
            owner=user,
            kind=Kind.ANALYTICS_EXPORT,
            format=Format.PDF,
            fingerprint=f"other-{number}",
            lease_expires_at=lease,
        )


def test_a_user_with_too_many_jobs_pending_is_refused_on_the_api_and_the_pages(
    api_client, web_client, user, settings
):
    settings.REPORT_MAX_PENDING_PER_USER = 3
    pending_jobs(user, 3)
    plan = PlanFactory(user=user)

    api_export = api_client.get("/api/analytics/export?format=csv")
    api_report = api_client.get(f"/api/pdps/{plan.pk}/report")
    web_export = web_client.post(reverse("reports:exports"), {"format": "csv"})
    web_report = web_client.post(reverse("reports:plan-report", args=[plan.pk]))

    for answer in (api_export, api_report):
        assert answer.status_code == 429
        assert answer["Retry-After"] == "30"
        assert "3 reports being made" in answer.json()["detail"]
    for page in (web_export, web_report):
        assert page.status_code == 429
        assert "3 reports being made" in page.content.decode()
    assert ReportJob.objects.count() == 3


def test_new_jobs_per_hour_are_limited_alike_on_the_api_and_the_pages(
    api_client, web_client, user, settings
):
    settings.REPORT_JOBS_PER_HOUR = 2
    an_hour = timezone.now() - datetime.timedelta(minutes=50)
    for number in range(2):
        ReportJob.objects.create(
            owner=user,
            kind=Kind.ANALYTICS_EXPORT,
            format=Format.PDF,
            fingerprint=f"done-{number}",
            status=Status.FAILED,
            error="x",
            created_at=an_hour,
            finished_at=an_hour,
        )

    api = api_client.get("/api/analytics/export?format=csv")
    web = web_client.post(reverse("reports:exports"), {"format": "csv"})

    assert api.status_code == 429
    assert 590 < int(api["Retry-After"]) <= 601  # when the oldest of them is an hour old
    assert web.status_code == 429
    assert ReportJob.objects.count() == 2


def test_worker_processes_are_recycled_after_jobs_and_memory():
    assert celery_app.conf.worker_max_tasks_per_child == 50
    assert celery_app.conf.worker_max_memory_per_child == 400_000
