from lib.shortcuts import get_or_404

from .models import Plan


def plans_of(user):
    return Plan.objects.owned_by(user).with_progress()


def get_plan_or_404(user, pk) -> Plan:
    """The user's plan with its progress; any other plan (or a malformed id) is a 404."""
    return get_or_404(plans_of(user), pk)
