from django.db import transaction
from django.utils import timezone

from analytics.cache import invalidate_user

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


def _apply(goal: Goal, fields: dict) -> Goal:
    unknown = set(fields) - GOAL_FIELDS
    if unknown:
        raise TypeError(f"Unknown goal fields: {sorted(unknown)}")
    progress_before, status_before = goal.progress, goal.status
    status = fields.pop("status", None)
    progress = fields.pop("progress", None)
    for name, value in fields.items():
        setattr(goal, name, value)
    if progress is not None and progress != goal.progress:
        goal.set_progress(progress)
    # A status equal to the stored one (a PUT or a form resends it) leaves progress in charge.
    if status is not None and status != status_before:
        goal.set_status(status)
    goal.full_clean(exclude=["user"])
    goal.save()
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
    entry = ProgressEntry(goal=goal, value=value, note=note, created_at=now)
    entry.full_clean()
    entry.save()
    goal.set_progress(value, now=now)
    goal.save(update_fields=["progress", "status", "completed_at", "updated_at"])
    invalidate_user(goal.user_id)
    return entry


@transaction.atomic
def delete_goal(*, goal: Goal) -> None:
    """Delete a goal and its progress log; its tasks stay, unlinked."""
    goal.delete()
    invalidate_user(goal.user_id)
