"""Reads for the planning views: the calendar (a week or a month of tasks and goal targets) and
the board (open tasks in columns by status or by goal). Each costs a fixed number of queries,
whatever the number of tasks."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext, pgettext

from goals.models import Goal

from . import recurrence
from .models import Task

ONE_DAY = datetime.timedelta(days=1)
# Cards a board column shows; the rest are counted and linked to.
COLUMN_CARDS = 20
# Future dates of one repeating task a calendar shows at most (a daily task in a month view).
MAX_REPEATS = 62


# --- Calendar --------------------------------------------------------------------------------


@dataclass
class Day:
    date: datetime.date
    in_range: bool  # a month view also shows the ends of the weeks around it
    is_today: bool
    tasks: list = field(default_factory=list)
    repeats: list = field(default_factory=list)  # later dates of repeating tasks
    goals: list = field(default_factory=list)


@dataclass
class CalendarPage:
    view: str  # "week" or "month"
    first: datetime.date  # the period shown (the month, or the week)
    last: datetime.date
    weeks: list[list[Day]]
    previous: datetime.date
    next: datetime.date


def calendar_page(*, user, view: str, day: datetime.date, today, week_start: int) -> CalendarPage:
    """The week or month holding `day`, in weeks that start on the user's `week_start`.

    Queries: the tasks due in it (with their goals) together with the open repeating tasks
    whose later dates fall in it, and the goals whose target is in it.
    """
    if view == "week":
        first = day - datetime.timedelta(days=(day.weekday() - week_start) % 7)
        last = first + 6 * ONE_DAY
        previous, following = first - 7 * ONE_DAY, first + 7 * ONE_DAY
    else:
        first = day.replace(day=1)
        following = (first + 31 * ONE_DAY).replace(day=1)
        last = following - ONE_DAY
        previous = (first - ONE_DAY).replace(day=1)
    start = first - datetime.timedelta(days=(first.weekday() - week_start) % 7)
    end = last + datetime.timedelta(days=(week_start - 1 - last.weekday()) % 7)
    days = {
        start + offset * ONE_DAY: Day(
            date=start + offset * ONE_DAY,
            in_range=first <= start + offset * ONE_DAY <= last,
            is_today=start + offset * ONE_DAY == today,
        )
        for offset in range((end - start).days + 1)
    }
    repeating_into_view = Q(
        completed_at__isnull=True, due_date__lt=start, recurs_after_completion=False
    ) & ~Q(recurrence="")
    tasks = Task.objects.owned_by(user).filter(
        Q(due_date__range=(start, end)) | repeating_into_view
    )
    # A day lists open tasks before done ones, all-day ones first, then by time and priority.
    order = [
        "due_date",
        F("completed_at").desc(nulls_first=True),
        F("due_time").asc(nulls_first=True),
        "priority",
        "created_at",
        "pk",
    ]
    for task in tasks.select_related("goal").order_by(*order):
        if task.due_date >= start:
            days[task.due_date].tasks.append(task)
        if task.is_recurring and not task.is_completed and not task.recurs_after_completion:
            for repeat in _later_dates(task, end):
                if repeat >= start:
                    days[repeat].repeats.append(task)
    for goal in Goal.objects.owned_by(user).filter(target_date__range=(start, end)):
        days[goal.target_date].goals.append(goal)
    ordered = list(days.values())
    weeks = [ordered[index : index + 7] for index in range(0, len(ordered), 7)]
    return CalendarPage(view, first, last, weeks, previous, following)


def _later_dates(task: Task, end: datetime.date):
    """The series' dates after the task's current one, up to `end`."""
    current = task.occurrence_date or task.due_date
    if current is None or task.recurrence_start is None:  # not a series (a data error)
        return
    for _ in range(MAX_REPEATS):
        following = recurrence.next_occurrence(
            task.recurrence, start=task.recurrence_start, after=current
        )
        if following is None or following > end:
            return
        yield following
        current = following


# --- Board -----------------------------------------------------------------------------------


@dataclass
class Column:
    key: str
    title: str
    count: int
    cards: list
    goal: Goal | None = None
    more_url: str = ""  # the task list showing all of the column's tasks (set by the view)

    @property
    def more(self) -> int:
        """The column's tasks beyond the cards it shows."""
        return self.count - len(self.cards)


def board_by_status(*, user, today) -> list[Column]:
    """Open tasks in columns by when they are due: overdue, today, upcoming, no date.

    Queries: the count of each column (one aggregate), the first cards of each (one query,
    and two for their labels and reminders).
    """
    columns = [
        ("overdue", pgettext("board column", "Overdue"), Q(due_date__lt=today)),
        ("today", pgettext("board column", "Today"), Q(due_date=today)),
        ("upcoming", gettext("Upcoming"), Q(due_date__gt=today)),
        ("none", gettext("No date"), Q(due_date__isnull=True)),
    ]
    open_tasks = Task.objects.owned_by(user).open()
    counts = open_tasks.aggregate(
        **{key: Count("pk", filter=condition) for key, _, condition in columns}
    )
    column = Case(
        *[When(condition, then=Value(index)) for index, (_, _, condition) in enumerate(columns)],
        output_field=IntegerField(),
    )
    cards: dict[int, list] = {index: [] for index in range(len(columns))}
    for task in _first_of_each(open_tasks.annotate(column=column), "column"):
        cards[task.column].append(task)
    return [
        Column(key, title, counts[key], cards[index])
        for index, (key, title, _) in enumerate(columns)
    ]


def board_by_goal(*, user) -> list[Column]:
    """Open tasks in a column per active goal (soonest target first), then those of no goal.

    Queries: the goals with their open-task counts, the count without a goal, the first cards
    of every column (one query, and two for their labels and reminders).
    """
    goals = list(
        Goal.objects.owned_by(user)
        .active()
        .annotate(open_tasks=Count("tasks", filter=Q(tasks__completed_at__isnull=True)))
        .order_by(F("target_date").asc(nulls_last=True), "-created_at")
    )
    open_tasks = Task.objects.owned_by(user).open()
    without_goal = open_tasks.filter(goal__isnull=True).count()
    cards: dict = {goal.pk: [] for goal in goals} | {None: []}
    shown = open_tasks.filter(Q(goal__in=goals) | Q(goal__isnull=True))
    for task in _first_of_each(shown, "goal_id"):
        cards[task.goal_id].append(task)
    columns = [
        Column(str(goal.pk), goal.title, goal.open_tasks, cards[goal.pk], goal) for goal in goals
    ]
    return [*columns, Column("none", gettext("No goal"), without_goal, cards[None])]


def _first_of_each(tasks, column: str):
    """The first COLUMN_CARDS tasks of each `column` value, in the list's order, as rows show
    them (`with_details`)."""
    order: list[Any] = [*(Task._meta.ordering or []), "pk"]  # the list's order, then a tiebreak
    ranked = tasks.annotate(rank=Window(RowNumber(), partition_by=[F(column)], order_by=order))
    cards = ranked.filter(rank__lte=COLUMN_CARDS).select_related("goal").with_details()
    return cards.order_by(column, "rank")
