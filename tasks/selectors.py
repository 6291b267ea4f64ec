import datetime

from django.utils import timezone

from accounts.services import settings_for
from bakhmach.shortcuts import get_or_404

from .models import Task


def tasks_of(user):
    return Task.objects.owned_by(user).select_related("goal")


def get_task_or_404(user, pk) -> Task:
    """The user's task (with its goal); any other task (or a malformed id) is a 404."""
    return get_or_404(tasks_of(user), pk)


def today_for(user, user_settings=None) -> datetime.date:
    """Today's date in the user's own time zone (pass `user_settings` if already loaded)."""
    user_settings = user_settings or settings_for(user)
    return timezone.localdate(timezone=user_settings.tzinfo)
