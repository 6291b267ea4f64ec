"""How a goal measures itself: the pure arithmetic of progress, in one place.

Every figure of progress (a goal's, a key result's, a check-in's) comes from these functions;
the models call them to derive what they store, and nothing else computes progress.
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

# A task's weight towards a tasks-measured goal: the productivity score's, 6 - priority.
MAX_PRIORITY_POINTS = 6

# How far behind the steady pace (in points) a goal is still "at risk" rather than "off track".
AT_RISK_MARGIN = 15


def clamp_percent(value: float) -> int:
    return max(0, min(100, round(value)))


def metric_progress(start: Decimal | None, target: Decimal | None, current: Decimal | None) -> int:
    """Where `current` lies between `start` and `target`, 0-100.

    `(current - start) / (target - start)`: a goal going down (weight, debt) has its target
    below its start, and the same formula holds. Missing values, or a target equal to the
    start, give 0 (validation keeps those off saved metrics).
    """
    if start is None or target is None or current is None or target == start:
        return 0
    return clamp_percent(100 * float((current - start) / (target - start)))


def weighted_progress(parts: Iterable[tuple[int, int]]) -> int:
    """The weight-averaged progress of `(progress, weight)` pairs; 0 without weight."""
    parts = list(parts)
    total = sum(weight for _, weight in parts)
    if not total:
        return 0
    return clamp_percent(sum(progress * weight for progress, weight in parts) / total)


def task_weight(priority: int) -> int:
    return MAX_PRIORITY_POINTS - priority


def tasks_progress(done_points: int, total_points: int) -> int:
    """The share of a goal's task points done (each task weighs `6 - priority`)."""
    return clamp_percent(100 * done_points / total_points) if total_points else 0


def expected_progress(start: datetime.date, target: datetime.date, today: datetime.date) -> int:
    """Progress (0-100) a goal should have today if it moved steadily from start to target."""
    if today >= target:
        return 100
    if today <= start:
        return 0
    return round(100 * (today - start).days / (target - start).days)


def suggested_status(
    *, progress: int, start: datetime.date, target: datetime.date | None, today: datetime.date
) -> str:
    """The status a check-in suggests: on track when progress keeps the steady pace to the
    target date, at risk within `AT_RISK_MARGIN` points behind it, off track further behind.
    A goal without a target date has no pace to miss: on track."""
    if target is None or progress >= 100:
        return "on_track"
    behind = expected_progress(start, target, today) - progress
    if behind <= 0:
        return "on_track"
    return "at_risk" if behind <= AT_RISK_MARGIN else "off_track"
