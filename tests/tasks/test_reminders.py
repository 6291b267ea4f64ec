"""Reminders: when they fire, that they fire once, and never for work that is done."""

import datetime

import pytest

from accounts.services import settings_for
from lib import notifications
from tasks import services
from tasks.models import Reminder, Task

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def moment(month, day, hour=12, minute=0):
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def kyiv(user):
    user_settings = settings_for(user)
    user_settings.timezone = "Europe/Kyiv"
    user_settings.save()


@pytest.fixture
def clock(time_machine):
    """`clock(moment)` stops time there."""
    return lambda at: time_machine.move_to(at, tick=False)


def reminded_task(user, *, reminders, **fields):
    return services.create_task(user=user, title="Call mom", reminders=reminders, **fields)


@pytest.mark.parametrize(
    ("due_date", "due_time", "reminder", "fires_at"),
    [
        # Kyiv is UTC+2 until 29 March 2026 03:00, UTC+3 after.
        (datetime.date(2026, 3, 28), datetime.time(9), {"minutes_before": 0}, moment(3, 28, 7)),
        (datetime.date(2026, 3, 30), datetime.time(9), {"minutes_before": 0}, moment(3, 30, 6)),
        (datetime.date(2026, 3, 30), datetime.time(9), {"minutes_before": 90},
         moment(3, 30, 4, 30)),
        # A day (24 hours) before 09:00 on the 30th: 09:00 on the 29th, the clocks moved at 03:00.
        (datetime.date(2026, 3, 30), datetime.time(9), {"minutes_before": 1440},
         moment(3, 29, 6)),
        # A date alone: from 09:00 that day.
        (datetime.date(2026, 3, 30), None, {"minutes_before": 60}, moment(3, 30, 5)),
        (datetime.date(2026, 3, 30), None, {"fixed_at": moment(3, 25, 8)}, moment(3, 25, 8)),
    ],
)  # fmt: skip
def test_a_reminder_fires_at_its_moment_in_the_users_zone(
    user, kyiv, clock, due_date, due_time, reminder, fires_at
):
    clock(moment(3, 1))
    task = reminded_task(user, due_date=due_date, due_time=due_time, reminders=[reminder])

    assert task.reminders.get().remind_at == fires_at


def test_a_relative_reminder_of_a_task_without_a_date_waits(user, clock):
    clock(moment(3, 1))
    task = reminded_task(user, reminders=[{"minutes_before": 10}])

    assert task.reminders.get().remind_at is None
    task = services.update_task(task=task, due_date=datetime.date(2026, 3, 2))
    assert task.reminders.get().remind_at == moment(3, 2, 9) - datetime.timedelta(minutes=10)


def test_it_is_sent_once_when_its_moment_comes(user, clock, mailoutbox):
    clock(moment(3, 1))
    reminded_task(
        user, due_date=datetime.date(2026, 3, 2), due_time=datetime.time(10),
        reminders=[{"minutes_before": 15}],
    )  # fmt: skip

    clock(moment(3, 2, 9, 44))
    assert services.send_due_reminders() == 0
    clock(moment(3, 2, 9, 45))
    assert services.send_due_reminders() == 1
    assert services.send_due_reminders() == 0
    clock(moment(3, 2, 9, 46))
    assert services.send_due_reminders() == 0

    [message] = mailoutbox
    assert message.to == [user.email]
    assert message.subject == "Reminder: Call mom"
    assert "Due Mar 2, 2026 at 10:00 (UTC)." in message.body
    assert "/tasks/" in message.body
    assert Reminder.objects.get().sent_at == moment(3, 2, 9, 46) - datetime.timedelta(minutes=1)


def test_never_for_a_completed_or_deleted_task(user, clock, mailoutbox):
    clock(moment(3, 1))
    done = reminded_task(
        user, due_date=datetime.date(2026, 3, 2), reminders=[{"minutes_before": 0}]
    )
    gone = reminded_task(
        user, due_date=datetime.date(2026, 3, 2), reminders=[{"minutes_before": 0}]
    )
    services.complete_task(task=done)
    services.delete_task(task=gone)

    clock(moment(3, 3))
    assert services.send_due_reminders() == 0
    assert mailoutbox == []


def test_a_reminder_picked_before_its_task_was_completed_is_not_sent(user, clock, mailoutbox):
    clock(moment(3, 1))
    task = reminded_task(
        user, due_date=datetime.date(2026, 3, 2), reminders=[{"minutes_before": 0}]
    )
    reminder = task.reminders.get()
    clock(moment(3, 3))
    Task.objects.filter(pk=task.pk).update(completed_at=moment(3, 3))  # between pick and claim

    assert services.send_reminder(reminder_id=reminder.pk) is False
    assert mailoutbox == []


def test_a_recurring_task_is_reminded_of_each_occurrence(user, clock, mailoutbox):
    clock(moment(3, 2, 6))
    task = services.create_task(
        user=user, title="Stretch", recurrence="FREQ=DAILY", due_date=datetime.date(2026, 3, 2),
        due_time=datetime.time(8), reminders=[{"minutes_before": 0}],
    )  # fmt: skip
    clock(moment(3, 2, 8))
    assert services.send_due_reminders() == 1
    services.complete_task(task=Task.objects.get(pk=task.pk))

    reminder = Reminder.objects.get()
    assert (reminder.remind_at, reminder.sent_at) == (moment(3, 3, 8), None)
    clock(moment(3, 3, 8))
    assert services.send_due_reminders() == 1
    assert len(mailoutbox) == 2


def test_a_reminder_already_past_is_not_sent(user, clock, mailoutbox):
    clock(moment(3, 5))
    reminded_task(user, due_date=datetime.date(2026, 3, 2), reminders=[{"minutes_before": 0}])

    assert services.send_due_reminders() == 0
    assert mailoutbox == []


def test_saving_the_reminders_again_does_not_send_them_again(user, clock, mailoutbox):
    clock(moment(3, 1))
    task = reminded_task(user, reminders=[{"fixed_at": moment(3, 2)}, {"fixed_at": moment(3, 4)}])
    clock(moment(3, 2))
    services.send_due_reminders()

    services.update_task(
        task=task, reminders=[{"fixed_at": moment(3, 2)}, {"fixed_at": moment(3, 4)}]
    )

    assert services.send_due_reminders() == 0
    assert len(mailoutbox) == 1
    assert task.reminders.count() == 2


def test_another_workers_claim_is_respected_until_its_lease_runs_out(user, clock, mailoutbox):
    clock(moment(3, 1))
    task = reminded_task(user, reminders=[{"fixed_at": moment(3, 2)}])
    # A worker claimed it at 12:00 and died before sending.
    Reminder.objects.filter(task=task).update(claimed_at=moment(3, 2))

    clock(moment(3, 2, 12, 4))
    assert services.send_due_reminders() == 0
    clock(moment(3, 2, 12, 6))
    assert services.send_due_reminders() == 1
    assert len(mailoutbox) == 1


def test_no_email_when_the_user_turned_email_notifications_off(user, clock, mailoutbox):
    user_settings = settings_for(user)
    user_settings.email_notifications = False
    user_settings.save()
    clock(moment(3, 1))
    reminded_task(user, reminders=[{"fixed_at": moment(3, 2)}])
    clock(moment(3, 2))

    assert services.send_due_reminders() == 0
    assert mailoutbox == []
    assert Reminder.objects.get().sent_at is not None  # nothing to retry


class RecordingChannel:
    """A channel as an integration would register one."""

    name = "recording"

    def __init__(self, *, fail=False):
        self.fail = fail
        self.sent = []

    def reaches(self, user):
        return True

    def send(self, notification):
        if self.fail:
            raise ConnectionError("the service is down")
        self.sent.append(notification)


@pytest.fixture
def channel():
    """Registers a RecordingChannel for the test; `channel(fail=True)` makes it fail."""
    registered = []

    def register(**kwargs):
        made = RecordingChannel(**kwargs)
        notifications.register(made)
        registered.append(made)
        return made

    yield register
    for made in registered:
        notifications.unregister(made.name)


def test_every_registered_channel_gets_the_reminder(user, clock, mailoutbox, channel):
    recording = channel()
    clock(moment(3, 1))
    task = reminded_task(user, reminders=[{"fixed_at": moment(3, 2)}])
    clock(moment(3, 2))

    services.send_due_reminders()

    [notification] = recording.sent
    assert (notification.user, notification.subject) == (user, "Reminder: Call mom")
    assert notification.url.endswith(task.get_absolute_url())
    assert len(mailoutbox) == 1


def test_a_failing_channel_does_not_stop_the_others(user, clock, mailoutbox, channel):
    channel(fail=True)
    clock(moment(3, 1))
    reminded_task(user, reminders=[{"fixed_at": moment(3, 2)}])
    clock(moment(3, 2))

    assert services.send_due_reminders() == 1
    assert len(mailoutbox) == 1


def test_when_every_channel_fails_the_next_run_tries_again(
    user, clock, mailoutbox, channel, settings
):
    failing = channel(fail=True)
    user_settings = settings_for(user)
    user_settings.email_notifications = False
    user_settings.save()
    clock(moment(3, 1))
    reminded_task(user, reminders=[{"fixed_at": moment(3, 2)}])
    clock(moment(3, 2))

    assert services.send_due_reminders() == 0
    failing.fail = False
    clock(moment(3, 2, 12, 1))
    assert services.send_due_reminders() == 1
    assert len(failing.sent) == 1


def test_reminder_fields_are_validated(user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        reminded_task(user, reminders=[{"minutes_before": 10**6}])
    with pytest.raises(ValidationError):
        reminded_task(user, reminders=[{}])
    assert not Task.objects.exists()
