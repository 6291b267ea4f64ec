"""The REST contract of the reports: 202 + Location, the job shape, owner-only downloads."""

import uuid

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from plans.factories import PlanFactory
from reports.models import Format, Kind, ReportJob, Status

from .conftest import open_archive

pytestmark = pytest.mark.django_db

JOB_KEYS = {"id", "kind", "format", "status", "created_at", "finished_at", "download_url", "error"}


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


def download(client, response):
    """GET the `download_url` of a job answer."""
    return client.get(response.json()["download_url"])


def test_a_plan_report_answers_202_with_the_job_and_its_location(
    api_client, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_client.get(f"/api/pdps/{plan.pk}/report")

    assert response.status_code == 202
    body = response.json()
    assert set(body) == JOB_KEYS
    assert body["kind"] == Kind.PLAN_REPORT
    assert body["format"] == Format.PDF
    assert body["status"] == Status.QUEUED
    assert body["download_url"] is None
    assert body["finished_at"] is None
    assert body["error"] == ""
    assert response["Location"] == f"http://testserver/api/reports/{body['id']}"
    assert len(callbacks) == 1


def test_polling_the_location_shows_the_ready_job_and_its_download(api_client, plan, run_jobs):
    with run_jobs():
        accepted = api_client.get(f"/api/pdps/{plan.pk}/report/")

    response = api_client.get(accepted["Location"])

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == Status.READY
    assert body["finished_at"] is not None
    assert body["download_url"] == f"http://testserver/api/reports/{body['id']}/download"
    file = download(api_client, response)
    assert file.status_code == 200
    assert file["Content-Type"] == "application/pdf"
    assert file["Content-Disposition"].startswith('attachment; filename="plan-report-')
    assert "no-store" in file["Cache-Control"]
    assert b"".join(file.streaming_content).startswith(b"%PDF-")


def test_a_ready_plan_report_is_handed_out_again_for_unchanged_data(api_client, plan, run_jobs):
    with run_jobs():
        first = api_client.get(f"/api/pdps/{plan.pk}/report").json()
    again = api_client.get(f"/api/pdps/{plan.pk}/report")

    assert again.status_code == 202
    assert again.json()["id"] == first["id"]
    assert again.json()["status"] == Status.READY


@pytest.mark.parametrize("plan_id", [lambda other: other.pk, lambda _other: uuid.uuid4(), "nope"])
def test_a_report_of_another_users_or_a_missing_plan_is_404(api_client, other_user, plan_id):
    other_plan = PlanFactory(user=other_user)
    plan_id = plan_id(other_plan) if callable(plan_id) else plan_id

    response = api_client.get(f"/api/pdps/{plan_id}/report")

    assert response.status_code == 404
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("export_format", ["csv", "pdf"])
def test_the_analytics_export_answers_202_for_csv_and_pdf(api_client, run_jobs, export_format):
    with run_jobs():
        response = api_client.get(f"/api/analytics/export?format={export_format}")

    assert response.status_code == 202
    assert response.json()["format"] == export_format
    assert response.json()["kind"] == Kind.ANALYTICS_EXPORT
    ready = api_client.get(response["Location"])
    assert ready.json()["status"] == Status.READY
    file = download(api_client, ready)
    content = b"".join(file.streaming_content)
    if export_format == "csv":
        assert file["Content-Type"] == "application/zip"
        assert "tasks.csv" in open_archive(content).namelist()
    else:
        assert content.startswith(b"%PDF-")


def test_the_export_bom_option_reaches_the_file(api_client, run_jobs):
    with run_jobs():
        response = api_client.get("/api/analytics/export?format=csv&bom=1")

    file = download(api_client, api_client.get(response["Location"]))
    archive = open_archive(b"".join(file.streaming_content))
    assert archive.read("plans.csv").startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize(
    ("query", "field"),
    [("", "format"), ("?format=docx", "format"), ("?format=csv&bom=maybe", "bom")],
)
def test_a_bad_export_query_is_a_400_field_error(api_client, query, field):
    response = api_client.get(f"/api/analytics/export{query}")

    assert response.status_code == 400
    assert field in response.json()
    assert not ReportJob.objects.exists()


def test_downloads_and_jobs_of_other_users_are_404(api_client, other_user, run_jobs):
    with run_jobs():
        theirs = client_for(other_user).get("/api/analytics/export?format=csv").json()

    assert api_client.get(f"/api/reports/{theirs['id']}").status_code == 404
    assert api_client.get(f"/api/reports/{theirs['id']}/download").status_code == 404
    assert api_client.get(f"/api/reports/{uuid.uuid4()}/download").status_code == 404
    assert api_client.get("/api/reports/not-a-uuid").status_code == 404


def test_a_job_that_is_not_ready_cannot_be_downloaded(
    api_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        job = api_client.get("/api/analytics/export?format=pdf").json()

    response = api_client.get(f"/api/reports/{job['id']}/download")

    assert response.status_code == 409
    assert response.json() == {"detail": "The report is not ready."}


def test_a_failed_job_says_why(api_client, plan, django_capture_on_commit_callbacks, eager_celery):
    with django_capture_on_commit_callbacks() as callbacks:
        job = api_client.get(f"/api/pdps/{plan.pk}/report").json()
    api_client.delete(f"/api/pdps/{plan.pk}")
    callbacks[0]()

    body = api_client.get(f"/api/reports/{job['id']}").json()

    assert body["status"] == Status.FAILED
    assert body["error"] == "The plan was deleted before its report could be made."
    assert body["download_url"] is None


def test_the_list_holds_only_your_jobs_newest_first_for_a_fixed_number_of_queries(
    api_client, user, other_user, django_assert_num_queries
):
    for kind in (Kind.ANALYTICS_EXPORT, Kind.PLAN_REPORT):
        ReportJob.objects.create(owner=user, kind=kind, format=Format.PDF)
    ReportJob.objects.create(owner=other_user, kind=Kind.ANALYTICS_EXPORT, format=Format.CSV)
    for _ in range(5):
        ReportJob.objects.create(owner=user, kind=Kind.ANALYTICS_EXPORT, format=Format.CSV)

    # The user (JWT), the count, the page of jobs.
    with django_assert_num_queries(3):
        response = api_client.get("/api/reports")

    assert response.status_code == 200
    assert response.json()["count"] == 7
    created = [row["created_at"] for row in response.json()["results"]]
    assert created == sorted(created, reverse=True)


def test_the_api_needs_credentials(anon_client, plan):
    assert anon_client.get(f"/api/pdps/{plan.pk}/report").status_code == 401
    assert anon_client.get("/api/analytics/export?format=csv").status_code == 401
    assert anon_client.get("/api/reports").status_code == 401


def test_the_schema_documents_the_report_endpoints(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]

    report = paths["/api/pdps/{id}/report"]["get"]["responses"]
    assert report["202"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReportJob"
    }
    assert "Location" in report["202"]["headers"]
    export = paths["/api/analytics/export"]["get"]
    assert {parameter["name"] for parameter in export["parameters"]} >= {"format", "bom"}
    assert "409" in paths["/api/reports/{id}/download"]["get"]["responses"]


def test_the_download_streams_from_disk_without_loading_the_file(api_client, run_jobs):
    with run_jobs():
        job = api_client.get("/api/analytics/export?format=csv").json()

    response = api_client.get(f"/api/reports/{job['id']}/download")

    assert response.streaming
    assert int(response["Content-Length"]) == len(b"".join(response.streaming_content))


def test_a_ready_job_whose_file_is_gone_is_404_not_an_error(api_client, run_jobs):
    with run_jobs():
        job = api_client.get("/api/analytics/export?format=csv").json()
    stored = ReportJob.objects.get(pk=job["id"])
    stored.file.storage.delete(stored.file.name)

    response = api_client.get(f"/api/reports/{job['id']}/download")

    assert response.status_code == 404
