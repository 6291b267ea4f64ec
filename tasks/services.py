from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Task

TASK_FIELDS = {"goal", "title", "description", "priority", "due_date"}


def _apply(task: Task, fields: dict) -> Task:
    unknown = set(fields) - TASK_FIELDS
    if unknown:
        raise TypeError(f"Unknown task fields: {sorted(unknown)}")
    goal = fields.get("goal", task.goal)
    if goal is not None and goal.user_id != task.user_id:
        raise ValidationError({"goal": "Choose one of your own goals."})
    for name, value in fields.items():
        setattr(task, name, value)
    task.full_clean(exclude=["user"])
    task.save()
    return task


@transaction.atomic
def create_task(*, user, **fields) -> Task:
    return _apply(Task(user=user), fields)


@transaction.atomic
def update_task(*, task: Task, **fields) -> Task:
    return _apply(task, fields)
