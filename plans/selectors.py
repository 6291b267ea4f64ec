from django.http import Http404
from django.shortcuts import get_object_or_404

from lib.shortcuts import get_or_404

from .models import Plan, PlanReview


def plans_of(user):
    return Plan.objects.owned_by(user).with_progress().with_last_review()


def get_plan_or_404(user, pk) -> Plan:
    """The user's plan with its progress; any other plan (or a malformed id) is a 404."""
    return get_or_404(plans_of(user), pk)


def reviews_of(plan: Plan):
    """A plan's reviews, newest first."""
    return plan.reviews.order_by("-created_at", "-pk")


def get_review_or_404(plan: Plan, pk) -> PlanReview:
    return get_or_404(reviews_of(plan), pk)


def get_shared_plan_or_404(token: str) -> Plan:
    """The plan shared under `token`; a revoked or unknown link is a 404."""
    if not token:
        raise Http404("No such link.")
    return get_object_or_404(Plan.objects.with_progress(), share_token=token)
