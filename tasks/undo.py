"""Undo for task changes: a snapshot of tasks taken before a change, and its restoration.

A snapshot holds the tasks' rows and every row that hangs off them (labels links, checklists,
reminders, completions: whatever deleting the tasks would delete, found by Django's deletion
collector), serialised as JSON so it can wait in the user's session. Restoring puts back
exactly those rows, with their ids and timestamps, in place of whatever the tasks became
(or were deleted into), so one mechanism undoes a delete, a completion and a bulk change.
"""

import datetime
import decimal
import json
import uuid

from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.db.models.deletion import Collector

from goals import services as goal_services
from lib.user_version import invalidate_user

from .models import Label, Task


class ExactEncoder(json.JSONEncoder):
    """Dates and times to the microsecond (Django's JSON encoder rounds to milliseconds), ids
    and decimals as strings: the fields read them back exactly."""

    def default(self, o):
        if isinstance(o, datetime.date | datetime.time):
            return o.isoformat()
        if isinstance(o, uuid.UUID | decimal.Decimal):
            return str(o)
        return super().default(o)


# Above this many tasks a change is not offered for undo (its snapshot would swell the session).
MAX_TASKS = 200


def snapshot(tasks) -> dict | None:
    """The rows of `tasks` (one user's) and of everything that depends on them; None when
    there is nothing to snapshot or too much."""
    ids = [task.pk for task in tasks]
    if not ids or len(ids) > MAX_TASKS:
        return None
    # As stored, not as a caller's copies may have been changed in memory.
    tasks = list(Task.objects.filter(pk__in=ids).prefetch_related("labels"))
    collector = Collector(using=router.db_for_write(Task))
    collector.collect(tasks)
    collector.sort()  # dependents first, the order a delete takes
    through = Task.labels.through  # its links are kept on the tasks' own rows
    dependents = [
        obj
        for model, instances in reversed(collector.data.items())
        if model is not Task
        for obj in instances
    ]
    # Rows a delete removes in bulk without loading them: read them now.
    dependents += [
        obj
        for queryset in collector.fast_deletes
        if queryset.model is not through
        for obj in queryset
    ]
    rows = [*tasks, *dependents]  # tasks first, the order they are put back in
    return {
        "user": str(tasks[0].user_id),
        "tasks": [str(task.pk) for task in tasks],
        "rows": json.dumps(serializers.serialize("python", rows), cls=ExactEncoder),
    }


@transaction.atomic
def restore(*, user, state: dict) -> list[Task]:
    """Put the snapshot's rows back as they were, replacing what the tasks are now.

    Only the user's own snapshot is restored. A goal or label deleted since is left out (the
    task keeps no goal, or one label fewer), as the restored rows may not point at nothing.
    """
    if state.get("user") != str(user.pk):
        return []
    objects = list(serializers.deserialize("python", json.loads(state["rows"])))
    tasks = [item.object for item in objects if isinstance(item.object, Task)]
    if any(task.user_id != user.pk for task in tasks):
        return []
    Task.objects.owned_by(user).filter(pk__in=state["tasks"]).delete()
    goals = set(
        user.goals.filter(pk__in={task.goal_id for task in tasks}).values_list("pk", flat=True)
    )
    labels = set(Label.objects.owned_by(user).values_list("pk", flat=True))
    for item in objects:
        if isinstance(item.object, Task):
            if item.object.goal_id not in goals:
                item.object.goal_id = None
            if item.m2m_data is not None:
                item.m2m_data["labels"] = [pk for pk in item.m2m_data["labels"] if pk in labels]
        item.save(using=DEFAULT_DB_ALIAS)
    _goals_follow(tasks)
    invalidate_user(user.pk)
    return tasks


def _goals_follow(tasks) -> None:
    """A restored task's goal gets back (or loses) its evidence, and a tasks-measured goal's
    progress follows, as when the task was completed or reopened through its service."""
    restored = Task.objects.filter(pk__in=[task.pk for task in tasks]).select_related("goal")
    for task in restored:
        if task.goal is None:
            continue
        if task.is_completed:
            goal_services.task_done(task=task)
        else:
            goal_services.task_undone(task_id=task.pk, goal=task.goal)
