from django.db import transaction

from lib.services import apply_fields
from lib.user_version import invalidate_user

from .models import Task

# Completion is not among them: it changes only through complete_task and reopen_task.
TASK_FIELDS = {"goal", "title", "description", "priority", "due_date"}


@transaction.atomic
def create_task(*, user, **fields) -> Task:
    task = apply_fields(Task(user=user), fields, allowed=TASK_FIELDS)
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def update_task(*, task: Task, **fields) -> Task:
    apply_fields(task, fields, allowed=TASK_FIELDS)
    invalidate_user(task.user_id)
    return task


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
