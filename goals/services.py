from django.db import transaction
from django.utils import timezone

from lib.services import apply_fields
from lib.user_version import invalidate_user

from .models import Goal, ProgressEntry

GOAL_FIELDS = {
    "plan",
    "title",
    "description",
    "domain",
    "target_date",
    "status",
    "progress",
    "data",
}


# The fields that Goal.set_progress and Goal.set_status keep consistent with each other.
PROGRESS_FIELDS = ["progress", "status", "completed_at"]


def _lock_progress(goal: Goal) -> None:
    """Read the goal's progress and status afresh and hold its row until the transaction ends.

    Concurrent changes of progress then apply one after the other, each starting from the
    value the last one saved, so every change is logged and the log ends at the goal's value.
    """
    if not goal._state.adding:
        goal.refresh_from_db(fields=PROGRESS_FIELDS, from_queryset=Goal.objects.select_for_update())


def _apply(goal: Goal, fields: dict) -> Goal:
    status = fields.pop("status", None)
    progress = fields.pop("progress", None)
    derived = []
    if status is not None or progress is not None:
        _lock_progress(goal)
        derived = PROGRESS_FIELDS
    progress_before, status_before = goal.progress, goal.status
    if progress is not None and progress != goal.progress:
        goal.set_progress(progress)
    # A status equal to the stored one (a PUT or a form resends it) leaves progress in charge.
    if status is not None and status != status_before:
        goal.set_status(status)
    apply_fields(goal, fields, allowed=GOAL_FIELDS, derived=derived)
    if goal.progress != progress_before:
        # Every change of progress is in the log, however it was made, so the history that
        # analytics draws always ends at the goal's current value.
        ProgressEntry.objects.create(goal=goal, value=goal.progress, created_at=goal.updated_at)
    invalidate_user(goal.user_id)
    return goal


@transaction.atomic
def create_goal(*, user, **fields) -> Goal:
    return _apply(Goal(user=user), fields)


@transaction.atomic
def update_goal(*, goal: Goal, **fields) -> Goal:
    return _apply(goal, fields)


@transaction.atomic
def log_progress(*, goal: Goal, value: int, note: str = "", now=None) -> ProgressEntry:
    """Record progress: the log gains an entry and the goal takes the value (100 completes it)."""
    now = now or timezone.now()
    _lock_progress(goal)
    entry = ProgressEntry(goal=goal, value=value, note=note, created_at=now)
    entry.full_clean()
    entry.save()
    goal.set_progress(value, now=now)
    goal.save(update_fields=[*PROGRESS_FIELDS, "updated_at"])
    invalidate_user(goal.user_id)
    return entry


@transaction.atomic
def delete_goal(*, goal: Goal) -> None:
    """Delete a goal and its progress log; its tasks stay, unlinked."""
    goal.delete()
    invalidate_user(goal.user_id)
