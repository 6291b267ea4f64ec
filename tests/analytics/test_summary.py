"""Every figure of the summary, on the fixed clock (Wednesday 11 March 2026, 12:00 UTC)."""

import pytest

from analytics.selectors import get_summary
from goals.factories import GoalFactory
from goals.models import Status
from plans.factories import PlanFactory
from tasks.factories import TaskFactory, record_completions
from tasks.models import Task

from .clock import TODAY, at, on, set_calendar


@pytest.fixture
def week_of_work(user, other_user):
    """Plans, goals and tasks of `user` (and some of `other_user`, which must not count)."""
    PlanFactory.create_batch(2, user=user)
    GoalFactory(user=user, progress=20, domain="career")
    GoalFactory(user=user, progress=40, domain="health")
    GoalFactory(
        user=user, progress=100, status=Status.COMPLETED, completed_at=at(5), domain="health"
    )
    GoalFactory(user=user, progress=0, status=Status.ON_HOLD, domain="learning")
    # Completed today, due today, priority 1: on time, 5 points.
    TaskFactory(user=user, priority=1, due_date=TODAY, completed_at=at(11, 10))
    # Completed Monday, due Sunday, priority 3: late, 3 points of which half are earned.
    TaskFactory(user=user, priority=3, due_date=on(8), completed_at=at(9))
    # Completed last week, outside the 7-day window of the score (5-11 March).
    TaskFactory(user=user, completed_at=at(3))
    # Open and due yesterday, priority 2: overdue, 4 points.
    TaskFactory(user=user, priority=2, due_date=on(10))
    TaskFactory(user=user, due_date=on(13))  # due later this week
    TaskFactory(user=user, due_date=on(16))  # due next week
    TaskFactory(user=user)  # no due date
    PlanFactory(user=other_user)
    GoalFactory(user=other_user, progress=90)
    TaskFactory(user=other_user, due_date=on(1))
    TaskFactory(user=other_user, completed_at=at(11, 9))


def test_summary_figures(user, week_of_work):
    summary = get_summary(user=user)

    assert summary["as_of"] == TODAY
    assert summary["timezone"] == "UTC"
    assert summary["week"] == {"start": on(9), "end": on(15)}
    assert summary["plans"] == 2
    assert summary["goals"] == {
        "total": 4,
        "active": 2,
        "completed": 1,
        "on_hold": 1,
        "average_progress": 40.0,
        "by_domain": {
            "career": 1,
            "finance": 0,
            "health": 2,
            "learning": 1,
            "relationships": 0,
            "personal": 0,
            "business": 0,
            "other": 0,
        },
    }
    assert summary["tasks"] == {
        "total": 7,
        "completed": 3,
        "open": 4,
        "overdue": 1,
        "due_this_week": 1,
        "completed_this_week": 2,
    }
    # 5 + 3/2 earned of 5 + 3 + 4 possible points = 54.2
    assert summary["productivity_score"] == 54
    assert summary["score_parts"]["earned_points"] == 6.5
    assert summary["score_parts"]["possible_points"] == 12
    assert summary["streak_days"] == 1


def test_summary_of_a_new_user(user):
    summary = get_summary(user=user)

    assert summary["plans"] == 0
    assert summary["goals"]["total"] == 0
    assert summary["goals"]["average_progress"] is None
    assert summary["tasks"]["total"] == 0
    assert summary["productivity_score"] is None
    assert summary["streak_days"] == 0


def test_week_follows_the_users_week_start(user):
    set_calendar(user, week_start=6)  # Sunday
    TaskFactory(user=user, completed_at=at(8))  # Sunday: this week only when weeks start Sunday
    TaskFactory(user=user, due_date=on(14))  # Saturday: the last day of the Sunday week
    TaskFactory(user=user, due_date=on(15))  # Sunday: the next Sunday week

    summary = get_summary(user=user)

    assert summary["week"] == {"start": on(8), "end": on(14)}
    assert summary["tasks"]["completed_this_week"] == 1
    assert summary["tasks"]["due_this_week"] == 1


def test_week_and_overdue_are_counted_in_the_users_zone(user):
    set_calendar(user, timezone="Europe/Kyiv")  # UTC+2 in March
    # Monday 9 March 00:30 in Kyiv, still Sunday in UTC: this week in Kyiv.
    TaskFactory(user=user, completed_at=at(8, 22, 30))
    # Sunday 23:30 in Kyiv: last week.
    TaskFactory(user=user, completed_at=at(8, 21, 30))

    summary = get_summary(user=user)

    assert summary["timezone"] == "Europe/Kyiv"
    assert summary["tasks"]["completed_this_week"] == 1


def test_today_is_the_users_today(user, time_machine):
    set_calendar(user, timezone="Pacific/Auckland")  # UTC+13 in March
    time_machine.move_to(at(11, 11, 30), tick=False)  # 12 March 00:30 in Auckland
    TaskFactory(user=user, due_date=on(11))

    summary = get_summary(user=user)

    assert summary["as_of"] == on(12)
    assert summary["tasks"]["overdue"] == 1


def test_average_progress_is_rounded_to_one_decimal(user):
    for progress in (10, 20, 21):
        GoalFactory(user=user, progress=progress)

    assert get_summary(user=user)["goals"]["average_progress"] == 17.0


@pytest.mark.parametrize(
    ("completions", "streak"),
    [
        ([at(9), at(10), at(11, 8)], 3),  # up to today
        ([at(9), at(10)], 2),  # up to yesterday while today has none yet
        ([at(8), at(9)], 0),  # nothing yesterday or today
        ([at(11, 8), at(11, 9), at(10, 23, 59)], 2),  # several a day count once
        ([at(7), at(9), at(10), at(11)], 3),  # a gap ends it
        ([], 0),
    ],
)
def test_streak(user, completions, streak):
    for moment in completions:
        TaskFactory(user=user, completed_at=moment)

    assert get_summary(user=user)["streak_days"] == streak


def test_streak_counts_days_in_the_users_zone(user, other_user):
    # 23:30 UTC on 10 March is already 11 March (today) in Kyiv.
    moments = [at(9), at(10), at(10, 23, 30)]
    for person in (user, other_user):
        for moment in moments:
            TaskFactory(user=person, completed_at=moment)
    set_calendar(user, timezone="Europe/Kyiv")

    assert get_summary(user=user)["streak_days"] == 3  # 9, 10 and 11 March in Kyiv
    assert get_summary(user=other_user)["streak_days"] == 2  # 9 and 10 March in UTC


def test_streak_west_of_utc(user):
    set_calendar(user, timezone="America/New_York")  # UTC-4 since 8 March
    # 03:00 UTC on 11 March is 23:00 on 10 March in New York; 12:00 UTC is 08:00 the same day.
    TaskFactory(user=user, completed_at=at(11, 3))
    TaskFactory(user=user, completed_at=at(9, 3))  # 8 March in New York: a gap on the 9th

    assert get_summary(user=user)["streak_days"] == 1


def _bulk_tasks(user, count):
    """`count` tasks in every state: open, overdue, due this week, completed on time and late."""
    record_completions(
        Task.objects.bulk_create(
            Task(
                user=user,
                title=f"Task {index}",
                priority=index % 5 + 1,
                due_date=on(index % 28 + 1),
                completed_at=at(index % 11 + 1) if index % 3 else None,
            )
            for index in range(count)
        )
    )


@pytest.mark.parametrize("task_count", [10, 1000])
def test_summary_costs_the_same_queries_for_10_and_1000_tasks(
    user, task_count, django_assert_num_queries
):
    _bulk_tasks(user, task_count)
    GoalFactory.create_batch(3, user=user)
    PlanFactory(user=user)

    # 1 settings, 2 tasks aggregate, 3 completions aggregate, 4 goals aggregate, 5 plans count,
    # 6 streak days
    with django_assert_num_queries(6):
        summary = get_summary(user=user)
    assert summary["tasks"]["total"] == task_count
