from lib.shortcuts import get_or_404

from .models import Goal


def goals_of(user):
    return Goal.objects.owned_by(user).select_related("plan")


def get_goal_or_404(user, pk) -> Goal:
    """The user's goal (with its plan); any other goal (or a malformed id) is a 404."""
    return get_or_404(goals_of(user), pk)


def progress_entries_of(goal):
    """A goal's progress log, newest first."""
    return goal.progress_entries.order_by("-created_at", "-pk")
