from django.db.models import prefetch_related_objects

from lib.shortcuts import get_or_404

from .models import Goal, KeyResult, Measure, ProgressEntry


def goals_of(user):
    return Goal.objects.owned_by(user).select_related("plan")


def get_goal_or_404(user, pk) -> Goal:
    """The user's goal (with its plan); any other goal (or a malformed id) is a 404."""
    return get_or_404(goals_of(user), pk)


def with_key_results(goals):
    """The goals (a page of a list), the key results of those measured by them fetched in one
    query (and none when no goal on the page is)."""
    goals = list(goals)
    prefetch_related_objects(
        [goal for goal in goals if goal.measure == Measure.KEY_RESULTS], "key_results"
    )
    return goals


def progress_entries_of(goal):
    """A goal's check-ins, newest first, with the key result each one measured."""
    return goal.progress_entries.select_related("key_result").order_by("-created_at", "-pk")


def get_check_in_or_404(goal: Goal, pk) -> ProgressEntry:
    return get_or_404(progress_entries_of(goal), pk)


def key_results_of(goal: Goal):
    return goal.key_results.all()


def get_key_result_or_404(goal: Goal, pk) -> KeyResult:
    return get_or_404(key_results_of(goal), pk)
