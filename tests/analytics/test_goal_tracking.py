"""Goal tracking: expected progress, on track, projection, history (clock: 11 March, 12:00 UTC)."""

import datetime

import pytest

from analytics import selectors
from analytics.selectors import expected_progress, get_goal_tracking
from goals.factories import GoalFactory, ProgressEntryFactory
from goals.models import Goal, ProgressEntry, Status
from tasks.models import Task

from .clock import TODAY, at, on, set_calendar


def _tracked(user, goal):
    (item,) = [item for item in get_goal_tracking(user=user)["goals"] if item["id"] == goal.pk]
    return item


@pytest.mark.parametrize(
    ("start", "target", "expected"),
    [
        (on(1), on(21), 50),  # half way through
        (on(1), on(11), 100),  # target today
        (on(1), on(5), 100),  # target passed
        (on(11), on(31), 0),  # starts today
        (on(1), on(31), 33),  # 10 of 30 days
        (on(20), on(10), 100),  # target before the start, and past
    ],
)
def test_expected_progress(start, target, expected):
    assert expected_progress(start, target, TODAY) == expected


def test_goal_on_track_when_progress_reaches_the_expected(user):
    ahead = GoalFactory(user=user, created_at=at(1), target_date=on(21), progress=50)
    behind = GoalFactory(user=user, created_at=at(1), target_date=on(21), progress=49)

    assert _tracked(user, ahead)["expected_progress"] == 50
    assert _tracked(user, ahead)["on_track"] is True
    assert _tracked(user, behind)["on_track"] is False


def test_goal_past_its_target_is_behind_until_completed(user):
    late = GoalFactory(user=user, created_at=at(1), target_date=on(5), progress=90)
    done = GoalFactory(
        user=user,
        created_at=at(1),
        target_date=on(5),
        progress=100,
        status=Status.COMPLETED,
        completed_at=at(9, 23, 30),
    )

    assert _tracked(user, late)["on_track"] is False
    tracked_done = _tracked(user, done)
    assert tracked_done["on_track"] is True
    assert tracked_done["projected_completion"] == on(9)
    assert tracked_done["projection_reason"] is None


def test_goal_without_target_has_no_expectation(user):
    goal = GoalFactory(user=user, created_at=at(1), target_date=None, progress=10)

    tracked = _tracked(user, goal)
    assert tracked["expected_progress"] is None
    assert tracked["on_track"] is None


def test_projection_from_velocity(user):
    goal = GoalFactory(user=user, created_at=at(1), target_date=on(31), progress=30)
    ProgressEntryFactory(goal=goal, value=10, created_at=at(1, 0))
    ProgressEntryFactory(goal=goal, value=30, created_at=at(6))

    tracked = _tracked(user, goal)

    # 20 points in the 10.5 days since the first entry: 1.905 a day; 70 to go take 36.75 days.
    assert tracked["velocity"] == 1.9
    assert tracked["projected_completion"] == TODAY + datetime.timedelta(days=37)
    assert tracked["projection_reason"] is None


@pytest.mark.parametrize(
    ("entries", "reason"),
    [
        ([], selectors.TOO_FEW_ENTRIES),
        ([(20, at(1))], selectors.TOO_FEW_ENTRIES),
        ([(10, at(11, 1)), (20, at(11, 6))], selectors.TOO_SHORT_SPAN),
        ([(30, at(1)), (30, at(5))], selectors.NO_PROGRESS),
        ([(40, at(1)), (20, at(5))], selectors.NO_PROGRESS),
    ],
)
def test_no_projection_is_invented_from_too_little_data(user, entries, reason):
    goal = GoalFactory(user=user, created_at=at(1, month=1), progress=20)
    for value, moment in entries:
        ProgressEntryFactory(goal=goal, value=value, created_at=moment)

    tracked = _tracked(user, goal)

    assert tracked["projected_completion"] is None
    assert tracked["projection_reason"] == reason


def test_slow_but_steady_progress_is_projected(user):
    goal = GoalFactory(user=user, created_at=at(1, month=1), progress=20)
    ProgressEntryFactory(goal=goal, value=19, created_at=at(1, month=1))
    ProgressEntryFactory(goal=goal, value=20, created_at=at(1, 13, month=1))

    # One point in the 69 days since the first entry: the 80 to go take 5,520 days.
    assert _tracked(user, goal)["projected_completion"] == TODAY + datetime.timedelta(days=5520)


def test_projection_too_far_away_is_not_given(user):
    goal = GoalFactory(user=user, created_at=at(1, month=1), progress=1)
    ProgressEntryFactory(
        goal=goal, value=0, created_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    )
    ProgressEntryFactory(goal=goal, value=1, created_at=at(1))

    tracked = _tracked(user, goal)

    assert tracked["projected_completion"] is None
    assert tracked["projection_reason"] == selectors.TOO_SLOW


def test_history_is_oldest_first_with_days_in_the_users_zone(user):
    set_calendar(user, timezone="Europe/Kyiv")
    goal = GoalFactory(user=user, created_at=at(1), progress=40)
    ProgressEntryFactory(goal=goal, value=40, created_at=at(10, 23, 30))  # 11 March in Kyiv
    ProgressEntryFactory(goal=goal, value=10, created_at=at(2))

    tracked = _tracked(user, goal)

    assert [(point["date"], point["progress"]) for point in tracked["history"]] == [
        (on(2), 10),
        (on(11), 40),
    ]
    assert tracked["history"][1]["at"] == at(10, 23, 30)
    assert tracked["start_date"] == on(1)


def test_only_own_goals(user, other_user):
    GoalFactory(user=other_user)
    mine = GoalFactory(user=user)

    assert [item["id"] for item in get_goal_tracking(user=user)["goals"]] == [mine.pk]


@pytest.mark.parametrize("count", [10, 1000])
def test_goal_tracking_costs_the_same_queries_for_10_and_1000_goals_and_tasks(
    user, count, django_assert_num_queries
):
    goals = Goal.objects.bulk_create(
        Goal(user=user, title=f"Goal {index}", target_date=on(30)) for index in range(count)
    )
    Task.objects.bulk_create(
        Task(user=user, goal=goals[index % count], title=f"Task {index}") for index in range(count)
    )
    ProgressEntry.objects.bulk_create(
        ProgressEntry(goal=goal, value=value, created_at=at(day))
        for goal in goals
        for value, day in ((10, 1), (20, 5))
    )

    # 1 settings, 2 goals, 3 the progress entries of all those goals
    with django_assert_num_queries(3):
        tracked = get_goal_tracking(user=user)
    assert len(tracked["goals"]) == count
    assert all(len(goal["history"]) == 2 for goal in tracked["goals"])
