"""Recurring tasks: RRULEs, completing and skipping occurrences, editing this one or all
future, in the user's time zone across daylight-saving changes and month ends."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts.services import settings_for
from analytics.selectors import get_productivity, get_summary
from tasks import recurrence, services
from tasks.models import Task

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC


def moment(year, month, day, hour=12, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def zone(user):
    """`zone("Europe/Kyiv")` puts the user in that time zone."""

    def set_zone(name):
        user_settings = settings_for(user)
        user_settings.timezone = name
        user_settings.save()

    return set_zone


def recurring(user, rule, due, **fields):
    return services.create_task(user=user, title="Repeat", recurrence=rule, due_date=due, **fields)


def complete(task, at):
    return services.complete_task(task=Task.objects.get(pk=task.pk), now=at)


# --- Rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("FREQ=DAILY", "FREQ=DAILY"),
        ("rrule:freq=weekly;byday=mo,th", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("FREQ=WEEKLY;UNTIL=20261231T235959Z", "FREQ=WEEKLY;UNTIL=20261231"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
    ],
)
def test_valid_rules_are_normalized(text, normalized):
    assert recurrence.normalize(text) == normalized


@pytest.mark.parametrize(
    "text",
    [
        "",
        "every day",
        "FREQ=HOURLY",
        "FREQ=DAILY;BYHOUR=9",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;COUNT=2;UNTIL=20270101",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;BYMONTHDAY=3",
        "FREQ=DAILY;FREQ=WEEKLY",
        "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30",  # never: February 30th
        "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=8",
        "FREQ=DAILY;UNTIL=tomorrow",
        "FREQ=DAILY;" + "X" * 300,
    ],
)
def test_invalid_rules_are_refused_with_a_reason(text):
    with pytest.raises(recurrence.InvalidRule) as error:
        recurrence.normalize(text)
    assert str(error.value)


def test_a_service_refuses_an_invalid_rule_as_a_field_error(user):
    with pytest.raises(ValidationError) as error:
        recurring(user, "FREQ=SECONDLY", D(2026, 3, 2))
    assert "recurrence" in error.value.message_dict
    assert not Task.objects.exists()


# --- Completing ------------------------------------------------------------------------------


def test_completing_records_it_and_moves_to_the_next_date(user, time_machine):
    time_machine.move_to(moment(2026, 3, 2), tick=False)  # a Monday
    task = recurring(user, "FREQ=WEEKLY;BYDAY=MO,TH", D(2026, 3, 2))

    task = complete(task, moment(2026, 3, 2))

    assert (task.due_date, task.completed_at) == (D(2026, 3, 5), None)
    assert list(task.completions.values_list("due_date", flat=True)) == [D(2026, 3, 2)]
    task = complete(task, moment(2026, 3, 5))
    assert task.due_date == D(2026, 3, 9)
    assert task.completions.count() == 2


@pytest.mark.parametrize(
    ("rule", "start", "dates"),
    [
        # The last day of each month, leap February included.
        ("FREQ=MONTHLY;BYMONTHDAY=-1", D(2028, 1, 31),
         [D(2028, 2, 29), D(2028, 3, 31), D(2028, 4, 30)]),
        # RFC 5545: a month without a 31st has no occurrence.
        ("FREQ=MONTHLY;BYMONTHDAY=31", D(2026, 1, 31), [D(2026, 3, 31), D(2026, 5, 31)]),
        # "Every 30th" from quick add: the month's last day when it has no 30th.
        ("FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1", D(2026, 1, 30),
         [D(2026, 2, 28), D(2026, 3, 30), D(2026, 4, 30)]),
        ("FREQ=MONTHLY;BYDAY=-1FR", D(2026, 1, 30), [D(2026, 2, 27), D(2026, 3, 27)]),
        ("FREQ=MONTHLY;BYMONTHDAY=15", D(2026, 12, 15), [D(2027, 1, 15), D(2027, 2, 15)]),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", D(2028, 2, 29), [D(2032, 2, 29)]),
        ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", D(2026, 3, 6), [D(2026, 3, 9), D(2026, 3, 10)]),
        ("FREQ=DAILY;INTERVAL=3", D(2026, 2, 27), [D(2026, 3, 2), D(2026, 3, 5)]),
    ],
)  # fmt: skip
def test_month_ends_and_leap_days(user, time_machine, rule, start, dates):
    time_machine.move_to(datetime.datetime.combine(start, datetime.time(12), UTC), tick=False)
    task = recurring(user, rule, start)

    seen = []
    for _ in dates:
        task = complete(task, datetime.datetime.combine(task.due_date, datetime.time(12), UTC))
        seen.append(task.due_date)

    assert seen == dates


@pytest.mark.parametrize(
    ("name", "completed_at", "next_date"),
    [
        # Kyiv springs forward on 29 March 2026 at 03:00. Done at 00:30 local on the 29th
        # (22:30 UTC on the 28th): the next day counts from the 29th, not from UTC's 28th.
        ("Europe/Kyiv", moment(2026, 3, 28, 22, 30), D(2026, 3, 30)),
        # ... and falls back on 25 October: 23:30 local on the 25th is 21:30 UTC (UTC+2).
        ("Europe/Kyiv", moment(2026, 10, 25, 21, 30), D(2026, 10, 26)),
        # New York springs forward on 8 March: 22:30 local on the 8th is 02:30 UTC on the 9th.
        ("America/New_York", moment(2026, 3, 9, 2, 30), D(2026, 3, 9)),
        ("UTC", moment(2026, 3, 9, 2, 30), D(2026, 3, 10)),
    ],
)
def test_a_habit_counts_from_the_day_done_in_the_users_zone(
    user, zone, time_machine, name, completed_at, next_date
):
    zone(name)
    time_machine.move_to(completed_at, tick=False)
    task = recurring(user, "FREQ=DAILY", completed_at.date(), recurs_after_completion=True)

    assert complete(task, completed_at).due_date == next_date


def test_a_habit_every_three_days_counts_from_completion_not_from_the_schedule(user, time_machine):
    time_machine.move_to(moment(2026, 3, 10), tick=False)
    task = recurring(
        user, "FREQ=DAILY;INTERVAL=3", D(2026, 3, 5), recurs_after_completion=True
    )  # due on the 5th, done five days late

    assert complete(task, moment(2026, 3, 10)).due_date == D(2026, 3, 13)


def test_a_daily_rule_keeps_its_dates_across_the_clock_change(user, zone, time_machine):
    zone("Europe/Kyiv")
    time_machine.move_to(moment(2026, 3, 28, 6), tick=False)
    task = recurring(user, "FREQ=DAILY", D(2026, 3, 28), due_time=datetime.time(9))

    dates = []
    for day in (28, 29, 30):
        time_machine.move_to(moment(2026, 3, day, 6), tick=False)
        task = complete(task, moment(2026, 3, day, 6))  # 08:00 or 09:00 local, before 09:00 due
        dates.append(task.due_date)

    assert dates == [D(2026, 3, 29), D(2026, 3, 30), D(2026, 3, 31)]
    assert task.due_time == datetime.time(9)


def test_a_late_completion_moves_to_the_first_date_from_today_never_into_the_past(
    user, time_machine
):
    time_machine.move_to(moment(2026, 3, 1), tick=False)
    task = recurring(user, "FREQ=DAILY", D(2026, 3, 1))
    time_machine.move_to(moment(2026, 3, 6), tick=False)  # five days later

    task = complete(task, moment(2026, 3, 6))

    assert task.due_date == D(2026, 3, 6)  # today's occurrence is still to do
    assert task.completions.get().due_date == D(2026, 3, 1)


def test_an_early_completion_moves_past_the_completed_date(user, time_machine):
    time_machine.move_to(moment(2026, 3, 4), tick=False)  # Wednesday
    task = recurring(user, "FREQ=WEEKLY;BYDAY=FR", D(2026, 3, 6))

    assert complete(task, moment(2026, 3, 4)).due_date == D(2026, 3, 13)


def test_the_last_occurrence_completes_the_task(user, time_machine):
    time_machine.move_to(moment(2026, 3, 2), tick=False)
    task = recurring(user, "FREQ=DAILY;COUNT=2", D(2026, 3, 2))

    task = complete(task, moment(2026, 3, 2))
    assert task.completed_at is None
    task = complete(task, moment(2026, 3, 3))

    assert task.completed_at == moment(2026, 3, 3)
    assert task.due_date == D(2026, 3, 3)
    assert task.completions.count() == 2
    assert complete(task, moment(2026, 3, 4)).completions.count() == 2  # done is done


def test_an_until_in_the_past_ends_the_series(user, time_machine):
    time_machine.move_to(moment(2026, 3, 2), tick=False)
    task = recurring(user, "FREQ=WEEKLY;UNTIL=20260305", D(2026, 3, 2))

    assert complete(task, moment(2026, 3, 2)).is_completed


def test_a_rule_without_a_due_date_starts_at_its_first_date_from_today(user, zone, time_machine):
    zone("Pacific/Auckland")  # already Tuesday the 3rd there
    time_machine.move_to(moment(2026, 3, 2, 12), tick=False)
    task = services.create_task(user=user, title="Gym", recurrence="FREQ=WEEKLY;BYDAY=TH")

    assert (task.due_date, task.recurrence_start) == (D(2026, 3, 5), D(2026, 3, 5))


def test_reopening_undoes_the_last_completion(user, time_machine):
    time_machine.move_to(moment(2026, 3, 2), tick=False)
    task = recurring(user, "FREQ=DAILY", D(2026, 3, 2))
    task = complete(task, moment(2026, 3, 2))

    task = services.reopen_task(task=Task.objects.get(pk=task.pk))

    assert (task.due_date, task.completed_at) == (D(2026, 3, 2), None)
    assert not task.completions.exists()


# --- Skipping --------------------------------------------------------------------------------


def test_skipping_moves_on_without_a_completion(user, time_machine):
    time_machine.move_to(moment(2026, 3, 2), tick=False)
    task = recurring(user, "FREQ=WEEKLY;BYDAY=MO,TH", D(2026, 3, 2))

    task = services.skip_occurrence(task=task)

    assert task.due_date == D(2026, 3, 5)
    assert not task.completions.exists()


def test_the_last_occurrence_cannot_be_skipped(user, time_machine):
    time_machine.move_to(moment(2026, 3, 2), tick=False)
    task = recurring(user, "FREQ=DAILY;COUNT=1", D(2026, 3, 2))

    with pytest.raises(ValidationError):
        services.skip_occurrence(task=task)
    task.refresh_from_db()
    assert task.due_date == D(2026, 3, 2)


def test_a_one_off_task_cannot_be_skipped(user):
    with pytest.raises(ValidationError):
        services.skip_occurrence(task=services.create_task(user=user, title="Once"))


# --- This one or all future ------------------------------------------------------------------


def test_moving_this_occurrence_only_keeps_the_series(user, time_machine):
    time_machine.move_to(moment(2026, 3, 2), tick=False)
    task = recurring(user, "FREQ=WEEKLY;BYDAY=MO", D(2026, 3, 2))

    task = services.update_task(task=task, due_date=D(2026, 3, 3), scope=services.THIS_OCCURRENCE)
    assert task.due_date == D(2026, 3, 3)
    task = complete(task, moment(2026, 3, 3))

    assert task.due_date == D(2026, 3, 9)  # Mondays still
    assert task.recurrence_start == D(2026, 3, 2)


def test_moving_this_occurrence_earlier_does_not_repeat_it(user, time_machine):
    time_machine.move_to(moment(2026, 2, 26), tick=False)
    task = recurring(user, "FREQ=WEEKLY;BYDAY=MO", D(2026, 3, 2))
    task = services.update_task(task=task, due_date=D(2026, 2, 27), scope=services.THIS_OCCURRENCE)

    assert complete(task, moment(2026, 2, 27)).due_date == D(2026, 3, 9)


def test_moving_all_future_occurrences_moves_the_series(user, time_machine):
    time_machine.move_to(moment(2026, 3, 2), tick=False)
    task = recurring(user, "FREQ=DAILY;INTERVAL=2", D(2026, 3, 2))

    task = services.update_task(task=task, due_date=D(2026, 3, 3), scope=services.ALL_FUTURE)
    task = complete(task, moment(2026, 3, 3))

    assert task.due_date == D(2026, 3, 5)


def test_a_new_rule_applies_to_all_future_occurrences(user, time_machine):
    time_machine.move_to(moment(2026, 3, 2), tick=False)
    task = recurring(user, "FREQ=WEEKLY;BYDAY=MO", D(2026, 3, 2))

    with pytest.raises(ValidationError) as error:
        services.update_task(task=task, recurrence="FREQ=DAILY", scope=services.THIS_OCCURRENCE)
    assert "scope" in error.value.message_dict

    task = services.update_task(task=Task.objects.get(pk=task.pk), recurrence="FREQ=DAILY")
    assert complete(task, moment(2026, 3, 2)).due_date == D(2026, 3, 3)


def test_saving_the_same_rule_and_date_leaves_the_series_alone(user, time_machine):
    time_machine.move_to(moment(2026, 3, 2), tick=False)
    task = recurring(user, "FREQ=WEEKLY;BYDAY=MO", D(2026, 3, 2))
    task = services.update_task(task=task, due_date=D(2026, 3, 4), scope=services.THIS_OCCURRENCE)

    # A PUT of the whole task, as it is, with another title.
    task = services.update_task(
        task=task, title="Renamed", recurrence=task.recurrence, due_date=task.due_date
    )

    assert (task.recurrence_start, task.occurrence_date) == (D(2026, 3, 2), D(2026, 3, 2))


def test_removing_the_rule_makes_a_one_off_task(user, time_machine):
    time_machine.move_to(moment(2026, 3, 2), tick=False)
    task = recurring(user, "FREQ=DAILY", D(2026, 3, 2))

    task = services.update_task(task=task, recurrence="")

    assert (task.recurrence, task.recurrence_start) == ("", None)
    assert complete(task, moment(2026, 3, 2)).is_completed


def test_a_recurring_task_needs_a_due_date(user, time_machine):
    time_machine.move_to(moment(2026, 3, 2), tick=False)
    task = recurring(user, "FREQ=DAILY", D(2026, 3, 2))

    with pytest.raises(ValidationError) as error:
        services.update_task(task=task, due_date=None)
    assert "due_date" in error.value.message_dict


# --- The figures count each completion --------------------------------------------------------


def test_each_completion_counts_in_the_score_and_the_streak(user, time_machine):
    time_machine.move_to(moment(2026, 3, 9), tick=False)  # Monday
    task = recurring(user, "FREQ=DAILY", D(2026, 3, 9), priority=1)
    for day in (9, 10, 11):
        time_machine.move_to(moment(2026, 3, day), tick=False)
        task = complete(task, moment(2026, 3, day))

    summary = get_summary(user=user)
    productivity = get_productivity(user=user, period="week")

    assert summary["streak_days"] == 3
    assert summary["tasks"]["completed_this_week"] == 3
    assert summary["tasks"]["total"] == 1
    assert productivity["parts"]["completed_on_time"] == 3
    assert productivity["parts"]["on_time_points"] == 15
    assert productivity["score"] == 100


def test_a_late_occurrence_counts_as_overdue_until_it_is_done(user, time_machine):
    time_machine.move_to(moment(2026, 3, 9), tick=False)
    task = recurring(user, "FREQ=WEEKLY;BYDAY=MO", D(2026, 3, 9))
    time_machine.move_to(moment(2026, 3, 11), tick=False)
    complete(task, moment(2026, 3, 11))  # two days late; the task moves on to the 16th

    series = {day["date"]: day for day in get_productivity(user=user, period="week")["series"]}

    assert series[D(2026, 3, 10)]["overdue"] == 1  # it was overdue at the end of the 10th
    assert series[D(2026, 3, 11)]["overdue"] == 0
    assert series[D(2026, 3, 11)]["completed_late"] == 1
