"""Sending through a real Celery worker (tests/worker.py): Slack's rate limits and outages are
waited out by the task's retries, and a message goes out once however often its job runs."""

import time

import pytest

from accounts.calendar import UserCalendar
from integrations.slack.models import Delivery
from integrations.slack.tasks import deliver
from tasks.factories import TaskFactory

from .conftest import connect

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 60


@pytest.fixture
def plan(slack, user, olena, celery_worker):
    """A daily plan of a connected user, due to be sent."""
    connect(slack, user, olena)
    today = UserCalendar.of(user).today
    TaskFactory(user=user, title="Water the plants", due_date=today)
    return Delivery.objects.create(user=user, kind=Delivery.Kind.DAILY_PLAN, key=today.isoformat())


def wait_until_finished(delivery: Delivery, log) -> Delivery:
    deadline = time.monotonic() + TIMEOUT
    while True:
        delivery.refresh_from_db()
        if delivery.status != Delivery.Status.PENDING:
            return delivery
        if time.monotonic() > deadline:
            pytest.fail(f"Delivery still pending; worker log:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def test_a_rate_limited_send_is_retried_after_retry_after_and_delivered_once(
    slack, olena, plan, celery_worker
):
    slack.rate_limit("chat.postMessage", times=2, retry_after=1)
    started = time.monotonic()

    deliver.delay(plan.pk)

    delivery = wait_until_finished(plan, celery_worker)
    assert delivery.status == Delivery.Status.SENT
    assert time.monotonic() - started >= 2  # waited Retry-After twice
    assert slack.calls.count("chat.postMessage") == 3
    (message,) = slack.messages_to(slack.dm_of(olena))
    assert "Water the plants" in str(message["blocks"])
    assert delivery.attempts == 3
    assert delivery.message_ts == message["ts"]


def test_slack_server_errors_are_retried_with_backoff(slack, olena, plan, celery_worker):
    slack.fail("chat.postMessage", "server_error")

    deliver.delay(plan.pk)

    delivery = wait_until_finished(plan, celery_worker)
    assert delivery.status == Delivery.Status.SENT
    assert len(slack.messages_to(slack.dm_of(olena))) == 1


def test_a_job_run_twice_sends_the_message_once(slack, olena, plan, celery_worker):
    deliver.delay(plan.pk)
    deliver.delay(plan.pk)  # a redelivered job, as after a worker restart

    delivery = wait_until_finished(plan, celery_worker)
    deadline = time.monotonic() + 3
    while slack.calls.count("chat.postMessage") < 2 and time.monotonic() < deadline:
        time.sleep(0.2)  # give the second job time to (not) send

    assert delivery.status == Delivery.Status.SENT
    assert len(slack.messages_to(slack.dm_of(olena))) == 1
    assert slack.calls.count("chat.postMessage") == 1
