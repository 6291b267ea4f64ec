"""The productivity score of a period and its daily series (clock: Wed 11 March, 12:00 UTC)."""

import pytest

from analytics.selectors import get_productivity, get_summary
from tasks.factories import TaskFactory, record_completions
from tasks.models import Task

from .clock import TODAY, at, on, set_calendar


@pytest.fixture
def tasks_of_the_week(user, other_user):
    # Points: priority 1 = 5, 2 = 4, 3 = 3, 4 = 2, 5 = 1.
    TaskFactory(user=user, priority=1, due_date=on(8), completed_at=at(10, 14))  # A: late
    TaskFactory(user=user, priority=3, due_date=on(5), completed_at=at(10, 9))  # H: late
    TaskFactory(user=user, priority=3, due_date=on(9))  # B: open, overdue from the 10th
    TaskFactory(user=user, priority=5, completed_at=at(11, 9))  # C: no due date, on time
    TaskFactory(user=user, priority=2, due_date=on(12), completed_at=at(9))  # D: early
    TaskFactory(user=user, priority=4, due_date=on(1, month=2))  # G: overdue for weeks
    TaskFactory(user=user, completed_at=at(2))  # before the week
    TaskFactory(user=user, due_date=on(1), completed_at=at(3))  # late, before the week
    TaskFactory(user=other_user, priority=1, due_date=on(1))
    TaskFactory(user=other_user, completed_at=at(10))


def _by_day(productivity):
    return {day["date"]: day for day in productivity["series"]}


def test_daily_series_of_this_week(user, tasks_of_the_week):
    productivity = get_productivity(user=user, period="week")

    assert productivity["from"] == on(9)
    assert productivity["to"] == on(15)
    days = _by_day(productivity)
    assert list(days) == [on(9), on(10), on(11)]  # days after today are not scored yet
    # What happened on each day.
    assert [days[on(day)]["completed_on_time"] for day in (9, 10, 11)] == [1, 0, 1]
    assert [days[on(day)]["completed_late"] for day in (9, 10, 11)] == [0, 2, 0]
    assert [days[on(day)]["overdue"] for day in (9, 10, 11)] == [3, 2, 2]
    # The score of the 7 days ending on each day.
    # 3-9 March: D on time (4), the task of the 3rd late (3, half earned); A, H, G overdue
    # (5 + 3 + 2): 5.5 of 17
    assert days[on(9)]["earned_points"] == 5.5
    assert days[on(9)]["possible_points"] == 17
    assert days[on(9)]["score"] == 32
    # 4-10 March: D on time (4), A and H late (5 + 3); B and G overdue (3 + 2): 8 of 17
    assert days[on(10)]["score"] == 47
    # 5-11 March: D and C on time (4 + 1), A and H late (5 + 3); B and G overdue: 9 of 18
    assert days[on(11)]["score"] == 50


def test_period_score_and_parts(user, tasks_of_the_week):
    productivity = get_productivity(user=user, period="week")

    # On time 4 + 1, late 5 + 3 (half earned), overdue at the end 3 + 2: 9 of 18
    assert productivity["parts"] == {
        "completed_on_time": 2,
        "completed_late": 2,
        "completed": 4,
        "on_time_points": 5,
        "late_points": 8,
        "earned_points": 9.0,
        "overdue": 2,
        "overdue_points": 5,
        "possible_points": 18,
        "score": 50,
    }
    assert productivity["score"] == 50


def test_overdue_days_of_a_past_range_end_when_the_task_is_done(user):
    TaskFactory(user=user, priority=3, due_date=on(3), completed_at=at(10))

    days = _by_day(get_productivity(user=user, start=on(2), end=on(8)))

    assert [days[on(day)]["overdue"] for day in range(2, 9)] == [0, 0, 1, 1, 1, 1, 1]
    assert days[on(8)]["score"] == 0


def test_month_period(user):
    productivity = get_productivity(user=user, period="month")

    assert (productivity["from"], productivity["to"]) == (on(1), on(31))
    assert len(productivity["series"]) == 11
    assert productivity["score"] is None


def test_week_starting_on_sunday(user):
    set_calendar(user, week_start=6)

    productivity = get_productivity(user=user, period="week")

    assert (productivity["from"], productivity["to"]) == (on(8), on(14))


def test_a_period_in_the_future_has_no_days_yet(user, tasks_of_the_week):
    productivity = get_productivity(user=user, start=on(20), end=on(25))

    assert productivity["series"] == []
    assert productivity["score"] is None
    assert productivity["parts"]["completed"] == 0


def test_days_and_punctuality_are_the_users(user):
    set_calendar(user, timezone="Europe/Kyiv")  # UTC+2
    TaskFactory(user=user, due_date=on(10), completed_at=at(10, 21, 30))  # 23:30: on time
    TaskFactory(user=user, due_date=on(10), completed_at=at(10, 22, 30))  # 00:30 the 11th: late

    days = _by_day(get_productivity(user=user, period="week"))

    assert days[on(10)]["completed_on_time"] == 1
    assert days[on(10)]["completed_late"] == 0
    assert days[on(11)]["completed_late"] == 1


def test_summary_score_is_the_score_of_the_last_seven_days(user, tasks_of_the_week):
    seven_days = get_productivity(user=user, start=on(5), end=TODAY)
    this_week = get_productivity(user=user, period="week")

    assert get_summary(user=user)["productivity_score"] == seven_days["score"] == 50
    assert get_summary(user=user)["score_parts"] == seven_days["parts"]
    assert this_week["series"][-1]["score"] == 50


@pytest.mark.parametrize("task_count", [10, 1000])
def test_productivity_costs_the_same_queries_for_10_and_1000_tasks(
    user, task_count, django_assert_num_queries
):
    record_completions(
        Task.objects.bulk_create(
            Task(
                user=user,
                title=f"Task {index}",
                due_date=on(index % 9 + 1),
                completed_at=at(index % 11 + 1) if index % 2 else None,
            )
            for index in range(task_count)
        )
    )

    # 1 settings, 2 completions per day, 3 overdue intervals closed by a completion, 4 those
    # of open tasks
    with django_assert_num_queries(4):
        productivity = get_productivity(user=user, period="month")
    assert productivity["parts"]["completed"] == task_count // 2
