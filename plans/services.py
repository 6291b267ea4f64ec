from django.db import transaction

from lib.services import apply_fields
from lib.user_version import invalidate_user

from .models import Plan

PLAN_FIELDS = {
    "title",
    "description",
    "vision",
    "start_date",
    "end_date",
    "review_cadence",
    "data",
}


@transaction.atomic
def create_plan(*, user, **fields) -> Plan:
    plan = apply_fields(Plan(user=user), fields, allowed=PLAN_FIELDS)
    invalidate_user(plan.user_id)
    return plan


@transaction.atomic
def update_plan(*, plan: Plan, **fields) -> Plan:
    apply_fields(plan, fields, allowed=PLAN_FIELDS)
    invalidate_user(plan.user_id)
    return plan


@transaction.atomic
def delete_plan(*, plan: Plan, cascade: bool = False) -> None:
    """Delete a plan. Its goals stay (unlinked) unless `cascade`; tasks always stay."""
    if cascade:
        plan.goals.all().delete()
    plan.delete()
    invalidate_user(plan.user_id)
