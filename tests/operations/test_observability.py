"""Request ids, JSON log lines and /metrics."""

import json
import logging

import pytest
from django.urls import reverse

from lib.jsonlog import JSONFormatter
from reports.models import Format, Kind, ReportJob, Status

pytestmark = pytest.mark.django_db


def test_every_answer_carries_a_request_id_and_keeps_a_sane_one_given(client, api_client):
    assert len(client.get(reverse("landing"))["X-Request-ID"]) == 32
    assert api_client.get("/api/nope")["X-Request-ID"]

    kept = api_client.get("/api/tasks", HTTP_X_REQUEST_ID="trace-42.abc")
    replaced = api_client.get("/api/tasks", HTTP_X_REQUEST_ID="bad id\nwith newline")

    assert kept["X-Request-ID"] == "trace-42.abc"
    assert replaced["X-Request-ID"] != "bad id\nwith newline"
    assert len(replaced["X-Request-ID"]) == 32


def test_each_request_is_logged_as_one_json_line_with_route_status_duration_and_user(
    api_client, user, caplog
):
    caplog.set_level(logging.INFO, logger="bakhmach.requests")

    response = api_client.get("/api/tasks", HTTP_X_REQUEST_ID="trace-7")

    assert response.status_code == 200
    [record] = [r for r in caplog.records if r.name == "bakhmach.requests"]
    line = json.loads(JSONFormatter().format(record))
    assert line["request_id"] == "trace-7"
    assert line["route"] == "task-list"
    assert line["status"] == 200
    assert line["method"] == "GET"
    assert line["user_id"] == str(user.pk)
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"


def test_metrics_show_latency_histograms_by_route_and_status_and_the_jobs(client, api_client, user):
    api_client.get("/api/tasks")
    api_client.get("/api/nope")
    ReportJob.objects.create(owner=user, kind=Kind.ANALYTICS_EXPORT, format=Format.CSV)

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert (
        'bakhmach_http_request_duration_seconds_bucket{le="0.5",method="GET",'
        'route="task-list",status="200"}'
    ) in text
    assert 'route="unmatched",status="404"' in text
    assert f'bakhmach_report_jobs{{status="{Status.QUEUED}"}} 1.0' in text
    assert "bakhmach_report_queue_depth 1.0" in text
    assert "bakhmach_report_job_duration_seconds_count" in text
    assert "bakhmach_workers_alive" in text


def test_metrics_are_only_for_the_allowed_addresses(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
