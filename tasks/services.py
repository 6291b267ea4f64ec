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


@transaction.atomic
def create_tasks(*, user, tasks: list[dict]) -> list[Task]:
    """Many tasks at once, in one query (imports). Each dict holds task fields, and may hold
    `completed_at` for work that is already done where it comes from."""
    allowed = TASK_FIELDS | {"completed_at"}
    for fields in tasks:
        if unknown := set(fields) - allowed:
            raise TypeError(f"Not task fields: {', '.join(sorted(unknown))}")
    created = Task.objects.bulk_create([Task(user=user, **fields) for fields in tasks])
    if created:
        invalidate_user(user.pk)
    return created
