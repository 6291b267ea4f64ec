from django.db import transaction

from analytics.cache import invalidate_user

from .models import Task

TASK_FIELDS = {"goal", "title", "description", "priority", "due_date"}


def _apply(task: Task, fields: dict) -> Task:
    unknown = set(fields) - TASK_FIELDS
    if unknown:
        raise TypeError(f"Unknown task fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(task, name, value)
    task.full_clean(exclude=["user"])
    task.save()
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def create_task(*, user, **fields) -> Task:
    return _apply(Task(user=user), fields)


@transaction.atomic
def update_task(*, task: Task, **fields) -> Task:
    return _apply(task, fields)


@transaction.atomic
def complete_task(*, task: Task, now=None) -> Task:
    """Mark the task done; a task already done keeps its first `completed_at`."""
    task.complete(now=now)
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def reopen_task(*, task: Task) -> Task:
    task.reopen()
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def delete_task(*, task: Task) -> None:
    task.delete()
    invalidate_user(task.user_id)
