"""Task reminders reach Slack through lib.notifications (the Slack channel the app
registers), once each, with their own switch in the Slack settings."""

import datetime

import pytest

from integrations.slack.models import Delivery, Workspace
from lib import notifications
from tasks import services as task_services
from tasks.models import Reminder

from .conftest import connect, utc

pytestmark = pytest.mark.django_db

DUE_AT = utc(2026, 12, 3, 10, 0)


@pytest.fixture
def reminded(user, time_machine):
    """A task due tomorrow 10:00 UTC with a reminder 15 minutes before; the clock at that time."""
    time_machine.move_to(utc(2026, 12, 2, 9, 0), tick=False)
    task = task_services.create_task(
        user=user,
        title="Call the bank; ask <about> fees",
        due_date=DUE_AT.date(),
        due_time=DUE_AT.time(),
        reminders=[{"minutes_before": 15}],
    )
    time_machine.move_to(DUE_AT - datetime.timedelta(minutes=15), tick=False)
    return task


def _texts(message) -> str:
    return " ".join(
        str(block.get("text", {}).get("text", "")) for block in message["blocks"]
    ) + " ".join(
        str(element.get("url", ""))
        for block in message["blocks"]
        for element in block.get("elements", [])
    )


def test_the_slack_channel_is_registered_by_the_slack_app():
    assert "slack" in [channel.name for channel in notifications.channels()]


def test_a_reminder_goes_to_the_slack_dm_as_well_as_by_email(
    slack, user, olena, reminded, mailoutbox
):
    connect(slack, user, olena)

    assert task_services.send_due_reminders() == 1

    (message,) = slack.messages_to(slack.dm_of(olena))
    assert message["text"] == "Reminder: Call the bank; ask <about> fees"
    text = _texts(message)
    assert "ask &lt;about&gt; fees" in text  # user text is not Slack markup
    assert "Due Dec 3, 2026 at 10:00" in text
    assert reminded.get_absolute_url() in text
    assert len(mailoutbox) == 1
    delivery = Delivery.objects.get(kind=Delivery.Kind.REMINDER)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.message_ts == message["ts"]


def test_the_switch_in_slack_settings_keeps_reminders_to_email(
    slack, user, olena, reminded, mailoutbox, web_client
):
    connect(slack, user, olena)
    page = web_client.get("/settings/slack")
    assert "Reminders set on tasks" in page.content.decode()
    form = {
        "daily_plan_time": "08:00",
        "weekly_review_time": "17:00",
        "task_reminder_time": "16:00",
        "daily_plan": "on",
    }  # reminder_messages left unticked
    assert web_client.post("/settings/slack/preferences", form).status_code == 302

    assert task_services.send_due_reminders() == 1

    assert slack.calls.count("chat.postMessage") == 0
    assert len(mailoutbox) == 1
    assert not Delivery.objects.filter(kind=Delivery.Kind.REMINDER).exists()


def test_a_rate_limited_reminder_is_sent_once_on_the_next_run(slack, user, olena, reminded):
    """With Slack the only channel (email notifications off), a refused send releases the
    reminder; the next run sends it, and a run after that sends nothing."""
    user.settings.email_notifications = False
    user.settings.save()
    connect(slack, user, olena)
    slack.rate_limit("chat.postMessage", times=1)

    assert task_services.send_due_reminders() == 0
    delivery = Delivery.objects.get(kind=Delivery.Kind.REMINDER)
    assert (delivery.status, delivery.error) == (Delivery.Status.FAILED, "ratelimited")
    assert Reminder.objects.get().sent_at is None

    assert task_services.send_due_reminders() == 1
    assert task_services.send_due_reminders() == 0
    assert len(slack.messages_to(slack.dm_of(olena))) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


def test_the_same_notification_twice_is_posted_once(slack, user, olena, reminded):
    connect(slack, user, olena)
    notification = notifications.Notification(
        user=user, subject="Reminder: x", body="x", key="reminder:abc:2026-12-03T09:45:00Z"
    )

    notifications.deliver(notification)
    notifications.deliver(notification)

    assert slack.calls.count("chat.postMessage") == 1


def test_a_broken_workspace_is_not_a_channel_any_more(slack, user, olena, team, reminded):
    connect(slack, user, olena)
    slack.deactivate(team)

    delivered = notifications.deliver(
        notifications.Notification(user=user, subject="Reminder: x", body="x", key="k1")
    )
    assert delivered.failed == ["slack"]
    assert Workspace.objects.get().is_broken

    delivered = notifications.deliver(
        notifications.Notification(user=user, subject="Reminder: y", body="y", key="k2")
    )
    assert "slack" not in delivered.failed + delivered.sent
