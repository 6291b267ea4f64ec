"""Changes to several tasks at once (the task list's bulk actions): one service each,
keyword-only and atomic, all or nothing.

Each takes the user and the ids they selected; an id that is not one of the user's tasks
(someone else's, or deleted meanwhile) is an error and nothing changes. Each change goes
through the task services, so recurring tasks, reminders and figures behave as for one task.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from . import services
from .models import Label, Task

MAX_TASKS = 200


def selected(*, user, task_ids) -> list[Task]:
    """The user's tasks of `task_ids`, locked for the change; every id must be one."""
    ids = set(task_ids)
    if not ids:
        raise ValidationError({"tasks": gettext("Select at least one task.")})
    if len(ids) > MAX_TASKS:
        raise ValidationError(
            {"tasks": gettext("Select at most %(max)d tasks at a time.") % {"max": MAX_TASKS}}
        )
    tasks = list(
        Task.objects.owned_by(user).filter(pk__in=ids).select_related("user").select_for_update()
    )
    if len(tasks) != len(ids):
        raise ValidationError(
            {"tasks": gettext("Some of the selected tasks no longer exist. Reload the page.")}
        )
    return tasks


@transaction.atomic
def complete_tasks(*, user, task_ids, now=None) -> list[Task]:
    tasks = selected(user=user, task_ids=task_ids)
    for task in tasks:
        services.complete_task(task=task, now=now)
    return tasks


@transaction.atomic
def move_tasks(*, user, task_ids, goal) -> list[Task]:
    """Move the tasks to `goal` (one of the user's), or out of any goal with None."""
    if goal is not None and goal.user_id != user.pk:
        raise ValidationError({"goal": gettext("Choose one of your own goals.")})
    tasks = selected(user=user, task_ids=task_ids)
    for task in tasks:
        services.update_task(task=task, goal=goal)
    return tasks


@transaction.atomic
def label_tasks(*, user, task_ids, label: Label, remove: bool = False) -> list[Task]:
    """Add `label` (one of the user's) to the tasks, or take it off with `remove`."""
    if label.user_id != user.pk:
        raise ValidationError({"label": gettext("Choose one of your own labels.")})
    tasks = selected(user=user, task_ids=task_ids)
    for task in tasks:
        labels = set(task.labels.all())
        labels = labels - {label} if remove else labels | {label}
        services.update_task(task=task, labels=list(labels))
    return tasks


@transaction.atomic
def reschedule_tasks(*, user, task_ids, due_date) -> list[Task]:
    """Give the tasks a new due date, or none (and so no time of day) with None. A recurring
    task moves this occurrence only."""
    tasks = selected(user=user, task_ids=task_ids)
    if due_date is None and any(task.is_recurring for task in tasks):
        raise ValidationError({"due_date": gettext("A recurring task needs a due date.")})
    for task in tasks:
        fields = {"due_date": due_date}
        if due_date is None:
            fields["due_time"] = None
        services.update_task(task=task, scope=services.THIS_OCCURRENCE, **fields)
    return tasks


@transaction.atomic
def delete_tasks(*, user, task_ids) -> int:
    tasks = selected(user=user, task_ids=task_ids)
    for task in tasks:
        services.delete_task(task=task)
    return len(tasks)
