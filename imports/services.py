"""Import tasks from a CSV file: preview what it holds, then write it all in one transaction."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.calendar import UserCalendar
from goals.models import Goal
from goals.services import create_goal
from lib.i18n import in_language_of
from lib.user_version import invalidate_user
from tasks.models import Subtask, Task
from tasks.services import check_task_room, create_task, get_or_create_labels

from . import tasks
from .models import ImportJob, Status
from .parsers import ParsedFile, Row, parse

logger = logging.getLogger(__name__)

BATCH = 500
FAILED_MESSAGE = _(
    "The import stopped on an error and nothing was imported. Try again; if it fails again, "
    "check the file's rows against the preview."
)


@transaction.atomic
def preview_import(*, user, filename: str, content: bytes) -> tuple[ImportJob | None, ParsedFile]:
    """Parse the file; a file without problems is kept as a job awaiting the go-ahead."""
    parsed = parse(content, today=UserCalendar.of(user).today)
    if not parsed.ok:
        return None, parsed
    job = ImportJob.objects.create(
        user=user,
        filename=filename[:255],
        format=parsed.format,
        rows=[row.to_json() for row in parsed.rows],
    )
    return job, parsed


@transaction.atomic
def start_import(*, job: ImportJob) -> ImportJob:
    """Queue the previewed job for the worker (starting twice queues it once)."""
    updated = ImportJob.objects.filter(pk=job.pk, status=Status.PREVIEW).update(
        status=Status.QUEUED
    )
    job.refresh_from_db(fields=["status"])
    if updated:
        job_id = str(job.pk)
        transaction.on_commit(lambda: tasks.run_import.delay(job_id))
    return job


@transaction.atomic
def cancel_import(*, job: ImportJob) -> bool:
    """Drop a job still awaiting its go-ahead; False when it has already started."""
    deleted, _ = ImportJob.objects.filter(pk=job.pk, status=Status.PREVIEW).delete()
    return bool(deleted)


@transaction.atomic
def run_import(*, job_id) -> None:
    """Write the job's rows: everything or, on any error, nothing (the job says why).

    One transaction holds the job's row lock from start to end, so a worker killed half-way
    commits nothing and leaves the job queued, for the redelivered message to run again.
    """
    job = (
        ImportJob.objects.select_for_update(of=("self",))
        .select_related("user__settings")
        .filter(pk=job_id, status=Status.QUEUED)
        .first()
    )
    if job is None:  # done already, or cancelled
        return
    # A failure's message is stored as its owner reads it, not in the worker's language.
    with in_language_of(job.user):
        _run(job)


def _run(job: ImportJob) -> None:
    try:
        with transaction.atomic():
            report = _write(job.user, [Row.from_json(data) for data in job.rows])
    except Exception as error:  # the job must end, saying why; the transaction undid every write
        logger.exception("import %s failed", job.pk)
        _finish(job, Status.FAILED, error=_failure(error))
    else:
        _finish(job, Status.DONE, report=report)


def _failure(error) -> str:
    if isinstance(error, ValidationError):
        return gettext("%(failed)s The reason: %(reason)s") % {
            "failed": FAILED_MESSAGE,
            "reason": " ".join(error.messages),
        }
    return str(FAILED_MESSAGE)


def _finish(job: ImportJob, status: str, *, report=None, error="") -> None:
    job.status, job.report, job.error = status, report or {}, error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "report", "error", "finished_at"])


def _write(user, rows: list[Row]) -> dict:
    check_task_room(user=user, adding=len(rows))  # the whole file, or none of it
    goals, new_goals = _goals(user, rows)
    # The labels there were before, to report the new ones.
    existing_labels = {label.name.casefold() for label in user.labels.all()}
    names = list(dict.fromkeys(label for row in rows for label in row.labels))
    labels = {
        label.name.casefold(): label for label in get_or_create_labels(user=user, names=names)
    }
    # A plain row is checked by the model's rules and inserted in bulk: a file of thousands of
    # rows takes a few statements. A repeating one goes through the task service, which places
    # its series.
    tasks = [
        _repeating_task(user, row, goals, labels) if row.recurrence else _task(user, row, goals)
        for row in rows
    ]
    Task.objects.bulk_create([task for task in tasks if task._state.adding], batch_size=BATCH)
    Task.labels.through.objects.bulk_create(
        [
            Task.labels.through(task_id=task.pk, label_id=labels[name.casefold()].pk)
            for task, row in zip(tasks, rows, strict=True)
            if not row.recurrence
            for name in row.labels
        ],
        batch_size=BATCH,
    )
    checklist = [
        Subtask(task=task, title=title, position=position)
        for task, row in zip(tasks, rows, strict=True)
        for position, title in enumerate(row.subtasks)
    ]
    Subtask.objects.bulk_create(checklist, batch_size=BATCH)
    invalidate_user(user.pk)
    return {
        "tasks": len(rows),
        "subtasks": len(checklist),
        "goals": new_goals,
        "labels": [label.name for key, label in labels.items() if key not in existing_labels],
    }


def _fields(row: Row, goals) -> dict:
    """The task fields of a row (its goal: one of `goals`, by name in any letter case)."""
    return {
        "title": row.title,
        "description": row.description,
        "priority": row.priority,
        "due_date": row.due_date,
        "due_time": row.due_time,
        "goal": goals[row.goal.casefold()] if row.goal else None,
    }


def _task(user, row: Row, goals) -> Task:
    """The row as a new task, checked by the model's own rules (fields, goal ownership)."""
    task = Task(user=user, **_fields(row, goals))
    # No query a row: `goal` is one of the user's goals just read (clean() checks it is theirs)
    # and the new id is a fresh UUID; the table's constraints stand behind the rest.
    task.full_clean(exclude=["user", "goal"], validate_unique=False, validate_constraints=False)
    return task


def _repeating_task(user, row: Row, goals, labels) -> Task:
    return create_task(
        user=user,
        **_fields(row, goals),
        recurrence=row.recurrence,
        recurs_after_completion=row.recurs_after_completion,
        labels=[labels[name.casefold()] for name in row.labels],
    )


def _goals(user, rows) -> tuple[dict[str, Goal], list[str]]:
    """The user's goal of each name in the rows (any letter case), created when missing."""
    wanted = list(dict.fromkeys(row.goal for row in rows if row.goal))
    found: dict[str, Goal] = {}
    for goal in Goal.objects.owned_by(user).order_by("created_at"):
        found.setdefault(goal.title.casefold(), goal)
    created = []
    for name in wanted:
        if name.casefold() not in found:
            found[name.casefold()] = create_goal(user=user, title=name)
            created.append(name)
    return found, created
