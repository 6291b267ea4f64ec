"""The web pages: the exports page, job progress polled by htmx, "Download PDF" on a plan."""

import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from plans.factories import PlanFactory
from reports.models import Format, Kind, ReportJob, Status
from tests.web import request_overhead

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
POLLING = 'hx-trigger="every 2s"'


def job_of(user, **fields) -> ReportJob:
    fields = {"kind": Kind.ANALYTICS_EXPORT, "format": Format.CSV, **fields}
    return ReportJob.objects.create(owner=user, **fields)


def test_the_exports_page_offers_the_export_and_lists_your_recent_reports(
    web_client, user, other_user
):
    job_of(user)
    job_of(other_user, format=Format.PDF)

    response = web_client.get(reverse("reports:exports"))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<form id="export-form"' in page
    assert 'name="format"' in page
    assert 'name="bom"' in page
    assert page.count("<tr>") == 2  # the header row and your one job
    assert POLLING not in page


@pytest.mark.parametrize("rows", [1, 30])
def test_the_exports_page_costs_the_same_queries_for_any_number_of_jobs(
    web_client, user, django_assert_num_queries, rows
):
    for _ in range(rows):
        job_of(user)
    overhead = request_overhead(web_client)

    with django_assert_num_queries(overhead + 1):  # the recent jobs
        web_client.get(reverse("reports:exports"))


@pytest.mark.parametrize("rows", [1, 30])
def test_polling_a_job_costs_the_same_queries_for_any_number_of_jobs(
    web_client, user, django_assert_num_queries, rows
):
    for _ in range(rows):
        job_of(user)
    job = job_of(user)
    overhead = request_overhead(web_client)

    # The job (ownership), then the recent jobs the fragment refreshes out of band.
    with django_assert_num_queries(overhead + 2):
        web_client.get(reverse("reports:detail", args=[job.pk]), **HTMX)


def test_a_poll_also_refreshes_the_recent_reports_out_of_band(web_client, user):
    job = job_of(user)
    ReportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING)

    fragment = web_client.get(reverse("reports:detail", args=[job.pk]), **HTMX).content.decode()

    recent = fragment[fragment.index('id="recent-jobs"') :]
    assert 'hx-swap-oob="true"' in recent
    assert "Running" in recent


def test_the_whole_page_lists_the_recent_reports_once_and_in_place(web_client, user):
    job = job_of(user)

    page = web_client.get(reverse("reports:detail", args=[job.pk])).content.decode()

    assert page.count('id="recent-jobs"') == 1
    assert "hx-swap-oob" not in page


def test_an_export_posted_without_javascript_redirects_to_the_jobs_progress_page(web_client, user):
    response = web_client.post(reverse("reports:exports"), {"format": "csv", "bom": "on"})

    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[job.pk])
    assert (job.owner, job.format, job.parameters) == (user, Format.CSV, {"bom": True})


def test_an_export_posted_with_htmx_answers_the_polling_status_fragment(web_client):
    response = web_client.post(reverse("reports:exports"), {"format": "pdf"}, **HTMX)

    job = ReportJob.objects.get()
    fragment = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in fragment
    assert POLLING in fragment
    assert f'hx-get="{reverse("reports:detail", args=[job.pk])}"' in fragment
    assert response["HX-Push-Url"] == reverse("reports:detail", args=[job.pk])
    assert "HX-Request" in response["Vary"]  # a cache must not serve it for the whole page


def test_an_invalid_export_is_a_form_error_and_nothing_is_queued(web_client):
    response = web_client.post(reverse("reports:exports"), {"format": "docx"})

    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_an_invalid_export_with_htmx_swaps_the_form_with_its_errors(web_client):
    response = web_client.post(reverse("reports:exports"), {}, **HTMX)

    assert response.status_code == 422
    assert response["HX-Retarget"] == "#export-form"
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<form id="export-form"')
    assert "This field is required" in fragment
    assert "HX-Request" in response["Vary"]


def test_a_queued_job_page_polls_and_reloads_itself_without_javascript(web_client, user):
    job = job_of(user)

    page = web_client.get(reverse("reports:detail", args=[job.pk])).content.decode()

    assert POLLING in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "Waiting for a worker" in page


def test_polling_a_running_job_answers_the_fragment_that_keeps_polling(web_client, user):
    job = job_of(user)
    job.start()

    response = web_client.get(reverse("reports:detail", args=[job.pk]), **HTMX)

    fragment = response.content.decode()
    assert "<html" not in fragment
    assert POLLING in fragment
    assert "A worker is making your report" in fragment


def test_polling_stops_when_the_job_is_ready_and_shows_the_download(web_client, user, run_jobs):
    with run_jobs():
        web_client.post(reverse("reports:exports"), {"format": "csv"})
    job = ReportJob.objects.get()

    fragment = web_client.get(reverse("reports:detail", args=[job.pk]), **HTMX).content.decode()

    assert job.status == Status.READY
    assert POLLING not in fragment
    assert f'href="{reverse("reports:download", args=[job.pk])}"' in fragment
    assert "Ready" in fragment


def test_polling_stops_when_the_job_failed_and_shows_why(web_client, user):
    job = job_of(user)
    job.start()
    job.mark_failed("The plan was deleted before its report could be made.")

    fragment = web_client.get(reverse("reports:detail", args=[job.pk]), **HTMX).content.decode()

    assert POLLING not in fragment
    assert 'role="alert">The plan was deleted before its report could be made.' in fragment


def test_download_pdf_on_a_plan_queues_its_report_and_follows_it(web_client, plan):
    response = web_client.post(reverse("reports:plan-report", args=[plan.pk]))

    job = ReportJob.objects.get()
    assert (job.kind, job.parameters) == (Kind.PLAN_REPORT, {"plan": str(plan.pk)})
    assert response["Location"] == reverse("reports:detail", args=[job.pk])


def test_download_pdf_needs_a_post(web_client, plan):
    assert web_client.get(reverse("reports:plan-report", args=[plan.pk])).status_code == 405


def test_the_plan_page_offers_download_pdf(web_client, plan):
    page = web_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()

    assert f'<form method="post" action="{reverse("reports:plan-report", args=[plan.pk])}">' in page
    assert "Download PDF" in page


def test_the_owner_downloads_the_file(web_client, user, run_jobs):
    with run_jobs():
        web_client.post(reverse("reports:exports"), {"format": "csv"})
    job = ReportJob.objects.get()

    response = web_client.get(reverse("reports:download", args=[job.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_report_files_are_not_in_the_public_media_folder(web_client, settings, run_jobs):
    with run_jobs():
        web_client.post(reverse("reports:exports"), {"format": "csv"})
    job = ReportJob.objects.get()

    stored = Path(job.file.path)
    assert stored.is_file()
    # Whatever serves MEDIA_ROOT at MEDIA_URL (runserver in DEBUG, the production web server)
    # has no path to it: only the owner-checked download view reads it.
    media = Path(settings.MEDIA_ROOT)
    assert media not in stored.parents
    assert not (media / job.file.name).exists()
    assert not (media / "reports").exists()


def test_a_job_that_is_not_ready_redirects_to_its_progress(web_client, user):
    job = job_of(user)

    response = web_client.get(reverse("reports:download", args=[job.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[job.pk])


def test_other_users_jobs_and_plans_are_404(web_client, other_user):
    theirs = job_of(other_user)
    their_plan = PlanFactory(user=other_user)

    assert web_client.get(reverse("reports:detail", args=[theirs.pk])).status_code == 404
    assert web_client.get(reverse("reports:download", args=[theirs.pk])).status_code == 404
    assert web_client.get(reverse("reports:detail", args=[uuid.uuid4()])).status_code == 404
    response = web_client.post(reverse("reports:plan-report", args=[their_plan.pk]))
    assert response.status_code == 404
    assert not ReportJob.objects.filter(owner__email="owner@example.com").exists()


def test_the_pages_need_a_login(client, user):
    job = job_of(user)
    for url in (reverse("reports:exports"), reverse("reports:download", args=[job.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
