from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from lib.limits import check_room
from lib.services import apply_fields
from lib.user_version import invalidate_user

from .models import Plan, PlanReview

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
    limit = settings.MAX_PLANS_PER_USER
    check_room(
        Plan.objects.filter(user=user),
        limit=limit,
        message=ngettext(
            "You have %(limit)d plan, as many as an account can hold; delete one to add another.",
            "You have %(limit)d plans, as many as an account can hold; delete one to add another.",
            limit,
        ),
    )
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


@transaction.atomic
def share_plan(*, plan: Plan, now=None) -> Plan:
    """Give the plan a new secret read-only link; a previous link answers 404 from now on."""
    plan.share(now=now)
    plan.save(update_fields=["share_token", "shared_at", "updated_at"])
    invalidate_user(plan.user_id)
    return plan


@transaction.atomic
def unshare_plan(*, plan: Plan) -> Plan:
    """Revoke the plan's share link: it answers 404 from now on."""
    plan.unshare()
    plan.save(update_fields=["share_token", "shared_at", "updated_at"])
    invalidate_user(plan.user_id)
    return plan


@transaction.atomic
def create_review(
    *, plan: Plan, went_well: str = "", went_badly: str = "", next: str = "", now=None
) -> PlanReview:
    """Write a review of the plan: its reflection and a snapshot of every goal as it stands."""
    goals = list(plan.goals.order_by("status", "target_date", "created_at", "pk"))
    review = PlanReview(
        plan=plan,
        went_well=went_well,
        went_badly=went_badly,
        next=next,
        goals=[goal.snapshot() for goal in goals],
        progress=round(sum(goal.progress for goal in goals) / len(goals)) if goals else 0,
        created_at=now or timezone.now(),
    )
    review.full_clean(exclude=["plan"])
    review.save()
    invalidate_user(plan.user_id)
    return review
