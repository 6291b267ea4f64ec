import datetime
from collections.abc import Mapping
from typing import Any

from accounts.calendar import UserCalendar
from lib.shortcuts import get_or_404

from .filters import TaskFilter
from .models import Label, Subtask, Task
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
    filterset = TaskFilter(queryset=tasks, today=today)
    for name, value in filters.items():
        tasks = filterset.filters[name].filter(tasks, value)
    return tasks


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
