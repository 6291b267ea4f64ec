"""The goal chart: one goal's progress log and its steady path to the target date, drawn the
same on the goal's page and in the plan report."""

import datetime
from collections.abc import Sequence

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from lib import charts

from .models import Goal


def expected_path(
    start: datetime.date, target: datetime.date | None
) -> tuple[datetime.date, datetime.date] | None:
    """The steady path a goal's chart draws, from 0 % at `start` to 100 % at `target`; none
    without a target after the start."""
    return (start, target) if target and target > start else None


def goal_chart(
    goal: Goal,
    history: Sequence[tuple[datetime.datetime, int]],
    tzinfo: datetime.tzinfo | None = None,
) -> SafeString:
    """`history` is the goal's log as `[(when, progress)]`, oldest first. Times and the path's
    start are in `tzinfo` (by default the current zone, the signed-in user's on a page)."""
    points = [(timezone.localtime(when, tzinfo), value) for when, value in history]
    return charts.progress_chart(
        [(goal.title, points)],
        title=_("Progress of “%(goal)s” over time") % {"goal": goal.title},
        expected=expected_path(goal.created_on(tzinfo), goal.target_date),
        chart_id=f"goal-{goal.pk}",
    )
