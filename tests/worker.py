"""The real Celery worker of the test session (`celery_worker`), started on first use.

It runs `celery -A bakhmach worker -P solo` with the environment of the test run, pointed at
the test database (it must be PostgreSQL: another process cannot see SQLite's in-memory one),
at CELERY_BROKER_URL (Redis in CI, kombu's filesystem transport by default) and at the fake
external services. One worker serves every test that needs one: two would take each other's
jobs from the same queue.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.fakes import slack
from tests.workers import database_url

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def worker_reports(tmp_path_factory):
    """Where the worker writes report files."""
    return tmp_path_factory.mktemp("worker-reports")


@pytest.fixture(scope="session")
def celery_worker(
    django_db_setup, django_db_blocker, tmp_path_factory, worker_reports, slack_server
):
    """The worker on the test database, until the session ends; its log file."""
    with django_db_blocker.unblock():
        test_database = database_url(connection.settings_dict)
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    environment = {
        **os.environ,
        "DATABASE_URL": test_database,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "REPORTS_ROOT": str(worker_reports),
        "AWS_STORAGE_BUCKET_NAME": "",
        "SLACK_URL": slack_server.url,
        "SLACK_API_URL": slack_server.api_url,
        "SLACK_HOOKS_URL": slack_server.url,
        "SLACK_CLIENT_ID": slack.CLIENT_ID,
        "SLACK_CLIENT_SECRET": slack.CLIENT_SECRET,
        "SLACK_SIGNING_SECRET": slack.SIGNING_SECRET,
    }
    command = [
        str(Path(sys.executable).with_name("celery")),
        *("-A", "bakhmach", "worker", "-P", "solo", "--loglevel", "INFO"),
        *("--hostname", f"test-{uuid.uuid4().hex[:8]}@%h"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    with log.open("w") as output:
        worker = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while " ready." not in log.read_text():
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            pytest.fail(f"The Celery worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    yield log
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
