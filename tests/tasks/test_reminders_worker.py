"""Reminders sent by a real Celery worker process to a real (fake) SMTP server: exactly once,
never for completed or deleted tasks, and after the worker is killed and started again.

Each test starts its own worker (`-P solo`) on the test database, reading a queue of its own so
no other worker of the session takes its jobs, with EMAIL_URL pointing at `FakeSMTP`. The beat
schedule's job, `send_due_reminders`, is enqueued here as beat would every minute.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tasks import services
from tasks.models import Reminder
from tasks.tasks import send_due_reminders
from tests.fakes.smtp import FakeSMTP
from tests.workers import database_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60


@pytest.fixture
def smtp():
    with FakeSMTP() as server:
        yield server


class Worker:
    def __init__(self, process, log: Path):
        self.process, self.log = process, log

    def finished_jobs(self) -> int:
        return self.log.read_text().count("succeeded in")


@pytest.fixture
def workers(smtp, tmp_path):
    """`workers.start()` starts a worker on this test's queue; all are stopped at the end."""
    queue = f"reminders-test-{uuid.uuid4().hex[:8]}"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": smtp.url,
        "SITE_URL": "http://hub.example",
    }
    started = []

    class Workers:
        def start(self) -> Worker:
            log = tmp_path / f"worker-{len(started)}.log"
            command = [
                str(Path(sys.executable).with_name("celery")),
                *("-A", "bakhmach", "worker", "-P", "solo", "--loglevel", "INFO", "-Q", queue),
                *("--hostname", f"{queue}-{len(started)}@%h"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ]
            with log.open("w") as output:
                process = subprocess.Popen(
                    command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
                )
            worker = Worker(process, log)
            started.append(worker)
            deadline = time.monotonic() + TIMEOUT
            while " ready." not in log.read_text():
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(f"The worker did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
            return worker

        def tick(self):
            """What celery beat does every minute."""
            send_due_reminders.apply_async(queue=queue)

    yield Workers()
    for worker in started:
        if worker.process.poll() is None:
            worker.process.terminate()
            try:
                worker.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.process.kill()


def wait_for(condition, what: str, worker: Worker):
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(
                f"Timed out waiting for {what}; worker log:\n{worker.log.read_text()[-3000:]}"
            )
        time.sleep(0.2)


def task_with_reminder(user, title, *, in_seconds=1):
    fires = timezone.now() + datetime.timedelta(seconds=in_seconds)
    return services.create_task(user=user, title=title, reminders=[{"fixed_at": fires}])


def test_a_real_worker_sends_each_reminder_exactly_once(user, smtp, workers):
    task_with_reminder(user, "Call mom")
    done = task_with_reminder(user, "Already done")
    gone = task_with_reminder(user, "Deleted")
    services.complete_task(task=done)
    services.delete_task(task=gone)
    worker = workers.start()
    time.sleep(1.2)  # the reminders' moment passes

    for _ in range(3):  # three beat ticks, one right after another
        workers.tick()
    wait_for(lambda: worker.finished_jobs() >= 3, "three runs of the job", worker)

    [received] = smtp.mailbox.wait_for(1, timeout=5)
    assert received.recipients == [user.email]
    assert received.message["Subject"] == "Reminder: Call mom"
    assert "http://hub.example/tasks/" in received.message.get_content()
    time.sleep(0.5)
    assert len(smtp.mailbox.messages) == 1
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 1


def test_reminders_survive_a_worker_killed_mid_way(user, smtp, workers):
    first = workers.start()
    pending = task_with_reminder(user, "Water the plants")
    # The killed worker had claimed this one and died before sending it.
    abandoned = task_with_reminder(user, "Pay rent")
    Reminder.objects.filter(task=abandoned).update(
        claimed_at=timezone.now() - services.CLAIM_LEASE - datetime.timedelta(seconds=1)
    )
    os.kill(first.process.pid, signal.SIGKILL)
    first.process.wait(timeout=10)
    time.sleep(1.2)

    workers.tick()  # beat goes on while no worker runs: the job waits in the broker
    second = workers.start()
    wait_for(lambda: second.finished_jobs() >= 1, "the job after the restart", second)

    received = smtp.mailbox.wait_for(2, timeout=10)
    assert sorted(message.message["Subject"] for message in received) == [
        "Reminder: Pay rent",
        "Reminder: Water the plants",
    ]
    assert not Reminder.objects.filter(task__in=[pending, abandoned], sent_at__isnull=True).exists()
