from django.db import transaction

from goals import services as goal_services
from goals.models import Measure
from lib.services import apply_fields
from lib.user_version import invalidate_user

from .models import Task

# Completion is not among them: it changes only through complete_task and reopen_task.
TASK_FIELDS = {"goal", "title", "description", "priority", "due_date", "private"}


def _goal_moves(*goals) -> None:
    """A task's change moves the progress of a goal measured by its tasks."""
    for goal in {goal.pk: goal for goal in goals if goal is not None}.values():
        if goal.measure == Measure.TASKS:
            goal_services.refresh_goal_progress(goal=goal)


@transaction.atomic
def create_task(*, user, **fields) -> Task:
    task = apply_fields(Task(user=user), fields, allowed=TASK_FIELDS)
    _goal_moves(task.goal)
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def update_task(*, task: Task, **fields) -> Task:
    goal_before, priority_before = task.goal, task.priority
    task = apply_fields(task, fields, allowed=TASK_FIELDS)
    if task.goal_id != (goal_before.pk if goal_before else None):
        if goal_before is not None:
            goal_services.task_undone(task_id=task.pk, goal=goal_before)
        if task.is_completed:
            goal_services.task_done(task=task)
        else:
            _goal_moves(task.goal)
    elif task.priority != priority_before:
        _goal_moves(task.goal)
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def complete_task(*, task: Task, now=None) -> Task:
    """Mark the task done; a task already done keeps its first `completed_at`."""
    task.complete(now=now)
    goal_services.task_done(task=task)
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def reopen_task(*, task: Task) -> Task:
    task.reopen()
    if task.goal is not None:
        goal_services.task_undone(task_id=task.pk, goal=task.goal)
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def delete_task(*, task: Task) -> None:
    goal, task_id = task.goal, task.pk
    task.delete()
    if goal is not None:
        goal_services.task_undone(task_id=task_id, goal=goal)
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
