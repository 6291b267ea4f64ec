from lib.shortcuts import get_or_404

from .models import Task


def tasks_of(user):
    return Task.objects.owned_by(user).select_related("goal")


def get_task_or_404(user, pk) -> Task:
    """The user's task (with its goal); any other task (or a malformed id) is a 404."""
    return get_or_404(tasks_of(user), pk)
