"""The calendar and board reads: what lands where, and a fixed number of queries."""

import datetime

import pytest

from goals.factories import GoalFactory
from goals.models import Status
from tasks import planner, services
from tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 11)  # a Wednesday
MONDAY, SUNDAY = 0, 6


def days_of(page):
    return {day.date: day for week in page.weeks for day in week}


def test_a_month_in_weeks_from_the_users_week_start(user):
    page = planner.calendar_page(user=user, view="month", day=TODAY, today=TODAY, week_start=MONDAY)

    assert (page.first, page.last) == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert page.weeks[0][0].date == datetime.date(2026, 2, 23)  # the Monday before the 1st
    assert page.weeks[-1][-1].date == datetime.date(2026, 4, 5)
    assert all(len(week) == 7 for week in page.weeks)
    assert (page.previous, page.next) == (datetime.date(2026, 2, 1), datetime.date(2026, 4, 1))
    days = days_of(page)
    assert days[TODAY].is_today
    assert not days[datetime.date(2026, 2, 23)].in_range
    sunday_first = planner.calendar_page(
        user=user, view="month", day=TODAY, today=TODAY, week_start=SUNDAY
    )
    assert sunday_first.weeks[0][0].date == datetime.date(2026, 3, 1)  # a Sunday


def test_a_week(user):
    page = planner.calendar_page(user=user, view="week", day=TODAY, today=TODAY, week_start=MONDAY)

    assert page.weeks[0][0].date == datetime.date(2026, 3, 9)
    assert len(page.weeks) == 1
    assert page.previous == datetime.date(2026, 3, 2)
    assert page.next == datetime.date(2026, 3, 16)


def test_tasks_goal_targets_and_later_dates_of_repeating_tasks(user):
    due = TaskFactory(user=user, title="Dentist", due_date=TODAY)
    done = TaskFactory(
        user=user,
        title="Done",
        due_date=TODAY,
        completed_at=datetime.datetime(2026, 3, 11, 9, tzinfo=datetime.UTC),
    )
    TaskFactory(user=user, title="Elsewhere", due_date=datetime.date(2026, 6, 1))
    TaskFactory(user=user, title="Undated")
    TaskFactory(user=user.__class__.objects.create(email="x@example.com"), due_date=TODAY)
    weekly = services.create_task(
        user=user,
        title="Review budget",
        due_date=datetime.date(2026, 2, 23),
        recurrence="FREQ=WEEKLY;BYDAY=MO",
    )
    goal = GoalFactory(user=user, target_date=datetime.date(2026, 3, 20))

    page = planner.calendar_page(user=user, view="month", day=TODAY, today=TODAY, week_start=MONDAY)

    days = days_of(page)
    assert days[TODAY].tasks == [due, done]
    assert days[datetime.date(2026, 2, 23)].tasks == [weekly]
    mondays = [day.date for day in days.values() if weekly in day.repeats]
    assert mondays == [datetime.date(2026, 3, d) for d in (2, 9, 16, 23, 30)]
    assert days[datetime.date(2026, 3, 20)].goals == [goal]
    shown = {task.title for day in days.values() for task in day.tasks}
    assert shown == {"Dentist", "Done", "Review budget"}


def test_the_calendar_costs_the_same_queries_for_any_number_of_tasks(
    user, django_assert_num_queries
):
    def page():
        # the tasks (with their goals, and repeating ones), the goal targets
        with django_assert_num_queries(2):
            planner.calendar_page(user=user, view="month", day=TODAY, today=TODAY, week_start=0)

    goal = GoalFactory(user=user, target_date=TODAY)
    TaskFactory(user=user, due_date=TODAY, goal=goal)
    page()
    TaskFactory.create_batch(40, user=user, due_date=TODAY, goal=goal)
    services.create_task(user=user, title="Daily", due_date=TODAY, recurrence="FREQ=DAILY")
    GoalFactory.create_batch(5, user=user, target_date=TODAY)
    page()


def test_board_by_status(user):
    overdue = TaskFactory(user=user, due_date=TODAY - datetime.timedelta(days=3))
    today = TaskFactory(user=user, due_date=TODAY)
    later = TaskFactory(user=user, due_date=TODAY + datetime.timedelta(days=30))
    undated = TaskFactory(user=user)
    TaskFactory(
        user=user, due_date=TODAY, completed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )

    columns = planner.board_by_status(user=user, today=TODAY)

    assert [(c.key, c.count, c.cards) for c in columns] == [
        ("overdue", 1, [overdue]),
        ("today", 1, [today]),
        ("upcoming", 1, [later]),
        ("none", 1, [undated]),
    ]


def test_a_full_column_shows_its_first_cards_and_counts_the_rest(user):
    TaskFactory.create_batch(planner.COLUMN_CARDS + 15, user=user, due_date=TODAY)

    (_, today, _, _) = planner.board_by_status(user=user, today=TODAY)

    assert today.count == planner.COLUMN_CARDS + 15
    assert len(today.cards) == planner.COLUMN_CARDS


def test_board_by_goal(user):
    soon = GoalFactory(user=user, title="Soon", target_date=TODAY)
    later = GoalFactory(user=user, title="Later", target_date=TODAY + datetime.timedelta(days=9))
    GoalFactory(user=user, title="Paused", status=Status.ON_HOLD)
    a = TaskFactory(user=user, goal=later, priority=1)
    b = TaskFactory(user=user, goal=soon)
    loose = TaskFactory(user=user)
    TaskFactory(
        user=user, goal=soon, completed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )

    columns = planner.board_by_goal(user=user)

    assert [(c.title, c.count, c.cards) for c in columns] == [
        ("Soon", 1, [b]),
        ("Later", 1, [a]),
        ("No goal", 1, [loose]),
    ]


@pytest.mark.parametrize("board", ["status", "goal"])
def test_the_boards_cost_the_same_queries_for_any_number_of_tasks(
    user, board, django_assert_num_queries
):
    def read():
        # by status: the counts, the cards; by goal: the goals with counts, the count
        # without a goal, the cards; then the cards' labels and reminders
        with django_assert_num_queries(4 if board == "status" else 5):
            if board == "status":
                planner.board_by_status(user=user, today=TODAY)
            else:
                planner.board_by_goal(user=user)

    goal = GoalFactory(user=user)
    TaskFactory(user=user, goal=goal, due_date=TODAY)
    read()
    for _ in range(3):
        TaskFactory.create_batch(30, user=user, goal=GoalFactory(user=user), due_date=TODAY)
    TaskFactory.create_batch(30, user=user)
    read()
