import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.db.models.functions import Lower
from django_filters.constants import EMPTY_VALUES

from accounts.calendar import UserCalendar
from lib.shortcuts import get_or_404

from .filters import TaskFilter
from .models import Label, Reminder, Subtask, Task
from .parsing import ParsedTask, parse_quick_add


def tasks_of(user):
    return Task.objects.owned_by(user).select_related("goal")


def get_task_or_404(user, pk) -> Task:
    """The user's task (with its goal); any other task (or a malformed id) is a 404."""
    return get_or_404(tasks_of(user), pk)


def task_rows(user, today: datetime.date):
    """The user's tasks as their rows show them: with their goal, `overdue` as of `today`,
    labels, reminders and checklist counts (`TaskQuerySet.with_details`)."""
    return tasks_of(user).with_overdue(today).with_details()


def get_task_row_or_404(user, pk, today: datetime.date) -> Task:
    """One task as its row shows it (see `task_rows`); another user's task is a 404."""
    return get_or_404(task_rows(user, today), pk)


def task_list(*, user, filters: Mapping[str, Any], today: datetime.date | None):
    """The user's task list: their rows (`task_rows`) narrowed by `filters`.

    `filters` maps names of `TaskFilter`'s filters to parsed values (its form's cleaned data,
    which the page and the API each parse from their input); empty values filter nothing.
    `today` is the user's, from which `overdue` counts. The API, whose tasks show no overdue
    flag, passes it only to filter by `overdue` (it costs a query): without it the tasks are
    not annotated.
    """
    tasks = tasks_of(user) if today is None else task_rows(user, today)
    filters = {name: value for name, value in filters.items() if value not in EMPTY_VALUES}
    if not filters:
        return tasks  # no filter set to build
    filterset = TaskFilter(queryset=tasks, today=today)
    for name, value in filters.items():
        tasks = filterset.filters[name].filter(tasks, value)
    return tasks


# A task's columns as its API answer shows them (`tasks.serializers.task_list_data`).
TASK_COLUMNS = (
    "id",
    "goal_id",
    "title",
    "description",
    "priority",
    "due_date",
    "due_time",
    "recurrence",
    "recurs_after_completion",
    "completed_at",
    "created_at",
    "updated_at",
)


def task_page(tasks, bounds: slice) -> list[dict]:
    """The rows in `bounds` of the ordered list `tasks` as dicts (no model objects), with their
    checklist counts, label ids (in the labels' order) and reminders (`id`, `remind_at`,
    `minutes_before`).

    A deferred join: the page's ids are read off the list's index in a subquery and only those
    rows are read whole, so a deep page costs what the first does. Three queries (one when the
    page is empty), whatever the page's size or depth.
    """
    if bounds.start >= bounds.stop:
        return []
    return _rows(tasks.values("pk")[bounds], tasks.query.order_by)


def task_walk(tasks, *, after, backwards: bool, size: int) -> tuple[list[dict], bool]:
    """Up to `size` rows of `tasks` after the key `after` (`(created_at, id)`, None from the
    start) in that order, or before it with `backwards`, as `task_page` reads them; and
    whether more rows lie beyond them. Read off the index `task_user_walk_idx`."""
    order = ("-created_at", "-pk") if backwards else ("created_at", "pk")
    if after is not None:
        created, pk = after
        if backwards:
            tasks = tasks.filter(Q(created_at__lt=created) | Q(created_at=created, pk__lt=pk))
            tasks = tasks.filter(created_at__lte=created)  # the index's range
        else:
            tasks = tasks.filter(Q(created_at__gt=created) | Q(created_at=created, pk__gt=pk))
            tasks = tasks.filter(created_at__gte=created)
    ids = list(tasks.order_by(*order).values_list("pk", flat=True)[: size + 1])
    return _rows(ids[:size], ("created_at", "pk")) if ids else [], len(ids) > size


def _rows(ids, ordering) -> list[dict]:
    """The tasks of `ids` (a list or a subquery) in `ordering`, with their details."""
    rows = list(
        Task.objects.filter(pk__in=ids)
        .with_checklist_counts()
        .order_by(*ordering)
        .values(*TASK_COLUMNS, "subtasks_total", "subtasks_done")
    )
    by_id = {row["id"]: row | {"labels": [], "reminders": []} for row in rows}
    links = Task.labels.through.objects.filter(task_id__in=by_id).order_by(Lower("label__name"))
    for task_id, label_id in links.values_list("task_id", "label_id"):
        by_id[task_id]["labels"].append(label_id)
    reminders = Reminder.objects.filter(task_id__in=by_id)
    for task_id, pk, remind_at, before in reminders.values_list(
        "task_id", "id", "remind_at", "minutes_before"
    ):
        by_id[task_id]["reminders"].append(
            {"id": pk, "remind_at": remind_at, "minutes_before": before}
        )
    return list(by_id.values())


def get_task_with_details_or_404(user, pk) -> Task:
    """The user's task as its API answer shows it (`TaskQuerySet.with_details`), or a 404."""
    return get_or_404(tasks_of(user).with_details(), pk)


def labels_of(user):
    return Label.objects.owned_by(user)


def get_label_or_404(user, pk) -> Label:
    return get_or_404(labels_of(user), pk)


def subtasks_of(task: Task):
    return task.subtasks.all()


def get_subtask_or_404(task: Task, pk) -> Subtask:
    """One item of the task's checklist; another task's item is a 404."""
    return get_or_404(subtasks_of(task), pk)


def completions_of(task: Task):
    """The task's completions, newest first."""
    return task.completions.order_by("-completed_at", "-pk")


def parse_for(*, user, text: str) -> ParsedTask:
    """Quick add's reading of `text` for `user`: dates from their today, weeks from their
    first weekday."""
    calendar = UserCalendar.of(user)
    return parse_quick_add(text, today=calendar.today, week_start=calendar.week_start)
