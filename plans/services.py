from django.db import transaction

from analytics.cache import invalidate_user

from .models import Plan

PLAN_FIELDS = {"title", "description", "vision", "start_date", "end_date", "data"}


def _apply(plan: Plan, fields: dict) -> Plan:
    unknown = set(fields) - PLAN_FIELDS
    if unknown:
        raise TypeError(f"Unknown plan fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean(exclude=["user"])
    plan.save()
    invalidate_user(plan.user_id)
    return plan


@transaction.atomic
def create_plan(*, user, **fields) -> Plan:
    return _apply(Plan(user=user), fields)


@transaction.atomic
def update_plan(*, plan: Plan, **fields) -> Plan:
    return _apply(plan, fields)


@transaction.atomic
def delete_plan(*, plan: Plan, cascade: bool = False) -> None:
    """Delete a plan. Its goals stay (unlinked) unless `cascade`; tasks always stay."""
    if cascade:
        plan.goals.all().delete()
    plan.delete()
    invalidate_user(plan.user_id)
