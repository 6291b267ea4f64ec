from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

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
    plan = fields.get("plan", goal.plan)
    if plan is not None and plan.user_id != goal.user_id:
        raise ValidationError({"plan": "Choose one of your own plans."})
    status = fields.pop("status", None)
    progress = fields.pop("progress", None)
    for name, value in fields.items():
        setattr(goal, name, value)
    if progress is not None and progress != goal.progress:
        goal.set_progress(progress)
    if status is not None and status != goal.status:
        goal.set_status(status)
    goal.full_clean(exclude=["user"])
    goal.save()
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
    return entry
