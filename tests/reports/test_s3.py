"""Reports on S3: moto's S3 server on 127.0.0.1 speaks the real protocol to the real client.

The app is pointed at it by settings only (STORAGES and AWS_*), exactly as in production.
"""

import datetime
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from reports import services
from reports.models import Format, Kind, ReportJob, Status, report_upload_to
from reports.storage import report_storage

pytestmark = pytest.mark.django_db

CREDENTIALS = {
    "aws_access_key_id": "test-key",
    "aws_secret_access_key": "test-secret",
    "region_name": "us-east-1",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """A moto S3 server, started once for the session and stopped at its end."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def bucket(settings, s3_endpoint):
    """A fresh bucket, and the app's storages pointed at it as settings.py does with one."""
    name = f"reports-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
        "reports": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"location": "reports"},
        },
    }
    settings.AWS_STORAGE_BUCKET_NAME = name
    settings.AWS_S3_ENDPOINT_URL = s3_endpoint
    settings.AWS_S3_ACCESS_KEY_ID = CREDENTIALS["aws_access_key_id"]
    settings.AWS_S3_SECRET_ACCESS_KEY = CREDENTIALS["aws_secret_access_key"]
    settings.AWS_S3_REGION_NAME = CREDENTIALS["region_name"]
    settings.AWS_DEFAULT_ACL = None
    settings.AWS_QUERYSTRING_AUTH = True
    settings.AWS_QUERYSTRING_EXPIRE = 300
    settings.AWS_S3_FILE_OVERWRITE = False
    settings.AWS_S3_SIGNATURE_VERSION = "s3v4"
    client = boto3.client("s3", endpoint_url=s3_endpoint, **CREDENTIALS)
    client.create_bucket(Bucket=name)
    return client, name


def keys(bucket) -> list[str]:
    client, name = bucket
    return [item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", [])]


def test_a_report_is_stored_in_the_bucket_and_served_by_a_signed_expiring_url(
    api_client, user, plan, bucket, run_jobs
):
    client, name = bucket
    with run_jobs():
        job_id = api_client.get(f"/api/pdps/{plan.pk}/report").json()["id"]
    job = ReportJob.objects.get(pk=job_id)
    assert job.status == Status.READY, job.error
    assert keys(bucket) == [f"reports/{user.pk}/{job.pk}.pdf"]

    response = api_client.get(f"/api/reports/{job.pk}/download")

    assert response.status_code == 302
    url = urllib.parse.urlsplit(response["Location"])
    query = urllib.parse.parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}" == client.meta.endpoint_url
    assert url.path == f"/{name}/reports/{user.pk}/{job.pk}.pdf"
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    assert query["response-content-disposition"] == [f'attachment; filename="{job.download_name}"']
    with urllib.request.urlopen(response["Location"], timeout=10) as fetched:
        content = fetched.read()
        assert fetched.headers["Content-Disposition"].startswith("attachment;")
    stored = client.get_object(Bucket=name, Key=f"reports/{job.file.name}")["Body"].read()
    assert content == stored
    assert content.startswith(b"%PDF-")


def test_the_web_download_redirects_the_owner_to_the_signed_url(web_client, user, bucket, run_jobs):
    with run_jobs():
        job = services.request_analytics_export(user=user, format=Format.CSV)

    response = web_client.get(job.get_download_url())

    assert response.status_code == 302
    assert "X-Amz-Signature=" in response["Location"]
    with urllib.request.urlopen(response["Location"], timeout=10) as fetched:
        assert fetched.read(2) == b"PK"


def test_another_user_gets_no_url_at_all(api_client, other_user, bucket, run_jobs):
    with run_jobs():
        theirs = services.request_analytics_export(user=other_user, format=Format.CSV)

    assert api_client.get(f"/api/reports/{theirs.pk}/download").status_code == 404


def test_a_retry_replaces_the_object_a_previous_attempt_left(user, bucket):
    job = ReportJob.objects.create(owner=user, kind=Kind.ANALYTICS_EXPORT, format=Format.CSV)
    report_storage.save(report_upload_to(job, ""), ContentFile(b"left by a lost attempt"))
    job.start(now=timezone.now() - datetime.timedelta(hours=1))  # its lease has run out

    services.render_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == Status.READY
    assert keys(bucket) == [f"reports/{user.pk}/{job.pk}.zip"]
    client, name = bucket
    assert client.get_object(Bucket=name, Key=f"reports/{job.file.name}")["Body"].read(2) == b"PK"


def test_the_clean_up_deletes_old_objects_from_the_bucket(user, bucket, run_jobs):
    with run_jobs():
        job = services.request_analytics_export(user=user, format=Format.CSV)
    ReportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - timezone.timedelta(days=30)
    )

    assert services.clean_up_reports() == 1
    assert keys(bucket) == []


def test_a_missing_bucket_fails_the_job_with_a_message(user, settings, bucket, run_jobs):
    settings.AWS_STORAGE_BUCKET_NAME = "no-such-bucket"

    with run_jobs():
        job = services.request_analytics_export(user=user, format=Format.CSV)

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == "The report was made but could not be stored. Please try again later."
