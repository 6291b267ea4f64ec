"""The analytics figures of one user, computed in the database in the user's time zone.

Each public function costs a fixed number of queries whatever the number of tasks or goals
(aggregates with conditional `filter=`, grouping by `TruncDate` in the user's zone); Python
only walks aggregated rows (one per day, or per day pair), never task rows. Results are cached
per user for 10 minutes (`analytics.cache`); every write service invalidates them.
"""

import datetime
import math

from django.db.models import Avg, Case, Count, DateField, F, Prefetch, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.calendar import ONE_DAY, UserCalendar
from goals.models import Domain, Goal, ProgressEntry, Source, Status
from goals.selectors import goals_of
from plans.models import Plan
from tasks.models import Task, TaskCompletion
from tasks.selectors import task_rows

from .cache import cached
from .periods import days_between
from .scoring import ScoreParts, priority_weight

# A rolling window, so the current score does not reset to "no score" every week start.
CURRENT_SCORE_DAYS = 7

ON_TIME = Q(due_date__isnull=True) | Q(done_day__lte=F("due_date"))
LATE = Q(done_day__gt=F("due_date"))


def _tasks(user, calendar: UserCalendar):
    """The user's tasks with `done_day`: the day of completion in the user's zone (or null)."""
    return (
        Task.objects.owned_by(user)
        .annotate(done_day=TruncDate("completed_at", tzinfo=calendar.tzinfo))
        .order_by()
    )


def _completions(user, calendar: UserCalendar):
    """The user's task completions (one per occurrence of a recurring task) with `done_day`,
    the day in the user's zone. Each has the due date and priority of what was done, so the
    score reads them like tasks."""
    return (
        TaskCompletion.objects.filter(user=user)
        .annotate(done_day=TruncDate("completed_at", tzinfo=calendar.tzinfo))
        .order_by()
    )


def _completed_between(calendar: UserCalendar, first: datetime.date, last: datetime.date) -> Q:
    return Q(
        completed_at__gte=calendar.midnight(first),
        completed_at__lt=calendar.midnight(last + ONE_DAY),
    )


def _points(condition: Q):
    return Coalesce(Sum(priority_weight(), filter=condition), 0)


def _completion_aggregates(window: Q) -> dict:
    """The completion half of `ScoreParts` for tasks completed within `window`."""
    return {
        "completed_on_time": Count("pk", filter=window & ON_TIME),
        "completed_late": Count("pk", filter=window & LATE),
        "on_time_points": _points(window & ON_TIME),
        "late_points": _points(window & LATE),
    }


def _cached_if(use_cache: bool, user, name: str, params: tuple, compute) -> dict:
    """The cached figure, or with `use_cache=False` a fresh one (documents, which must agree
    with the rows they read themselves, take it fresh; the cache is left as it is)."""
    return cached(user.pk, name, params, compute) if use_cache else compute()


# --- Summary ---------------------------------------------------------------------------------


def get_summary(*, user, calendar: UserCalendar | None = None, use_cache: bool = True) -> dict:
    """What the dashboard shows: counts, average progress, the current score and the streak.

    Queries: the user's settings (unless `calendar` is given), then on a cache miss (or
    without `use_cache`) plans, goals, tasks, completions and streak days.
    """
    calendar = calendar or UserCalendar.of(user)
    return _cached_if(
        use_cache, user, "summary", calendar.cache_key, lambda: _summary(user, calendar)
    )


def _summary(user, calendar: UserCalendar) -> dict:
    today = calendar.today
    week_start, week_end = calendar.week()
    score_window = _completed_between(
        calendar, today - datetime.timedelta(days=CURRENT_SCORE_DAYS - 1), today
    )
    overdue = Task.overdue_q(today)
    tasks = _tasks(user, calendar).aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
        overdue=Count("pk", filter=overdue),
        overdue_points=_points(overdue),
        due_this_week=Count(
            "pk", filter=Q(completed_at__isnull=True, due_date__gte=today, due_date__lte=week_end)
        ),
    )
    completions = _completions(user, calendar).aggregate(
        completed_this_week=Count("pk", filter=_completed_between(calendar, week_start, week_end)),
        **_completion_aggregates(score_window),
    )
    tasks["completed_this_week"] = completions.pop("completed_this_week")
    goals = (
        Goal.objects.owned_by(user)
        .order_by()
        .aggregate(
            total=Count("pk"),
            average_progress=Avg("progress"),
            **{
                f"status_{status}": Count("pk", filter=Q(status=status)) for status in Status.values
            },
            **{
                f"domain_{domain}": Count("pk", filter=Q(domain=domain)) for domain in Domain.values
            },
        )
    )
    score = ScoreParts(
        **completions, overdue=tasks["overdue"], overdue_points=tasks.pop("overdue_points")
    )
    average = goals["average_progress"]
    return {
        "as_of": today,
        "timezone": calendar.tzinfo.key,
        "week": {"start": week_start, "end": week_end},
        "plans": Plan.objects.owned_by(user).count(),
        "goals": {
            "total": goals["total"],
            **{status: goals[f"status_{status}"] for status in Status.values},
            "average_progress": None if average is None else round(average, 1),
            "by_domain": {domain: goals[f"domain_{domain}"] for domain in Domain.values},
        },
        "tasks": {**tasks, "open": tasks["total"] - tasks["completed"]},
        "productivity_score": score.score,
        "score_parts": score.as_dict(),
        "streak_days": _streak(user, calendar),
    }


def _streak(user, calendar: UserCalendar) -> int:
    """Consecutive days, ending today (or yesterday while today has none yet), with ≥ 1
    completion, counted in the user's zone. One query: the distinct completion days."""
    days = (
        _completions(user, calendar)
        .filter(completed_at__lt=calendar.midnight(calendar.today + ONE_DAY))
        .values_list("done_day", flat=True)
        .distinct()
        .order_by("-done_day")
    )
    expected = calendar.today
    streak = 0
    for day in days:
        if streak == 0 and day == calendar.today - ONE_DAY:
            expected = day
        if day != expected:
            break
        streak += 1
        expected -= ONE_DAY
    return streak


# --- Dashboard lists --------------------------------------------------------------------------

DASHBOARD_GOALS = 6
DASHBOARD_TASKS = 20


def dashboard_lists(*, user, calendar: UserCalendar) -> dict:
    """The dashboard's lists, each the first rows of one query (never cached): overdue and
    today's open tasks, active goals (soonest target first) and this week's completions
    (newest first), with the days as in the summary, in the user's zone."""
    today = calendar.today
    week_start, week_end = calendar.week()
    tasks = task_rows(user, today)
    return {
        "overdue": tasks.overdue(today)[:DASHBOARD_TASKS],
        "due_today": tasks.open().filter(due_date=today)[:DASHBOARD_TASKS],
        "goals": goals_of(user).active().order_by("target_date", "-created_at")[:DASHBOARD_GOALS],
        "done_this_week": tasks.filter(_completed_between(calendar, week_start, week_end)).order_by(
            "-completed_at"
        )[:DASHBOARD_TASKS],
    }


# --- Goal tracking ---------------------------------------------------------------------------


def get_goal_tracking(
    *, user, calendar: UserCalendar | None = None, use_cache: bool = True
) -> dict:
    """Per goal: progress history, expected progress today, on track, projected completion.

    Queries: the user's settings (unless `calendar` is given), then on a cache miss (or
    without `use_cache`) the goals and all their entries.
    """
    calendar = calendar or UserCalendar.of(user)
    return _cached_if(
        use_cache, user, "goals", calendar.cache_key, lambda: _goal_tracking(user, calendar)
    )


def _goal_tracking(user, calendar: UserCalendar) -> dict:
    goals = Goal.objects.owned_by(user).prefetch_related(
        Prefetch("progress_entries", queryset=ProgressEntry.objects.order_by("created_at"))
    )
    now = timezone.now()
    return {"as_of": calendar.today, "goals": [_track(goal, calendar, now) for goal in goals]}


def expected_progress(start: datetime.date, target: datetime.date, today: datetime.date) -> int:
    """Progress (0-100) a goal should have today if it moved steadily from start to target."""
    if today >= target:
        return 100
    if today <= start:
        return 0
    return round(100 * (today - start).days / (target - start).days)


def _track(goal: Goal, calendar: UserCalendar, now: datetime.datetime) -> dict:
    entries = list(goal.progress_entries.all())
    start = goal.created_on(calendar.tzinfo)
    expected = (
        expected_progress(start, goal.target_date, calendar.today) if goal.target_date else None
    )
    on_track: bool | None
    if goal.status == Status.COMPLETED:
        on_track = True
    else:
        on_track = None if expected is None else goal.progress >= expected
    velocity, projected, reason = _projection(goal, entries, calendar, now)
    return {
        "id": goal.pk,
        "title": goal.title,
        "domain": goal.domain,
        "status": goal.status,
        "progress": goal.progress,
        "start_date": start,
        "target_date": goal.target_date,
        "completed_at": goal.completed_at,
        "expected_progress": expected,
        "on_track": on_track,
        "velocity": velocity,
        "projected_completion": projected,
        "projection_reason": reason,
        "history": [
            {
                "at": entry.created_at,
                "date": timezone.localdate(entry.created_at, calendar.tzinfo),
                "progress": entry.value,
            }
            for entry in entries
        ],
        "evidence": evidence_counts(entries),
    }


# Check-ins the app wrote from elsewhere: a completed task, a merged pull request, Slack.
EVIDENCE_SOURCES = [source for source in Source.values if source != Source.MANUAL]


def evidence_counts(entries) -> dict[str, int]:
    """How many of a goal's check-ins came from each evidence source (every source, 0 too)."""
    counts = dict.fromkeys(EVIDENCE_SOURCES, 0)
    for entry in entries:
        if entry.source in counts:
            counts[entry.source] += 1
    return counts


# Why a goal has no projected completion date.
TOO_FEW_ENTRIES = "too_few_entries"
TOO_SHORT_SPAN = "too_short_span"
NO_PROGRESS = "no_progress"
TOO_SLOW = "too_slow"
MAX_PROJECTION_DAYS = 100 * 365
# What each reason means, in words, wherever a goal's projection is shown or documented.
PROJECTION_NOTES = {
    TOO_FEW_ENTRIES: _("Not enough data: log progress at least twice."),
    TOO_SHORT_SPAN: _("Not enough data yet: the log is less than a day old."),
    NO_PROGRESS: _("No progress since the first entry, so no date to project."),
    TOO_SLOW: _("More than a hundred years away at this pace."),
}


def projection_note(reason: str | None) -> str:
    """Why a goal has no projected completion date, in words ("" when it has one)."""
    return str(PROJECTION_NOTES.get(reason, "")) if reason else ""


def _projection(goal, entries, calendar, now):
    """`(velocity in points a day, projected completion date, reason when there is none)`.

    Velocity is the progress gained from the first log entry to the latest, spread over the
    time from the first entry until now, so a stalled goal slows down instead of keeping the
    pace it had while it moved. No date is invented from too little data.
    """
    if goal.status == Status.COMPLETED:
        return None, timezone.localdate(goal.completed_at, calendar.tzinfo), None
    if len(entries) < 2:
        return None, None, TOO_FEW_ENTRIES
    elapsed_days = (now - entries[0].created_at).total_seconds() / 86400
    if elapsed_days < 1:
        return None, None, TOO_SHORT_SPAN
    velocity = (entries[-1].value - entries[0].value) / elapsed_days
    if velocity <= 0:
        return round(velocity, 2), None, NO_PROGRESS
    days_needed = math.ceil((100 - goal.progress) / velocity)
    if days_needed > MAX_PROJECTION_DAYS:
        return round(velocity, 2), None, TOO_SLOW
    return round(velocity, 2), calendar.today + datetime.timedelta(days=days_needed), None


# --- Productivity ----------------------------------------------------------------------------


def get_productivity(
    *,
    user,
    period: str = "week",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    calendar: UserCalendar | None = None,
    use_cache: bool = True,
) -> dict:
    """The score of a period, its parts and the daily series (each day's completions and
    overdue work, and the score of the 7 days ending on it).

    The period is the user's current week or month, or `start`..`end` when both are given
    (checked by the caller with `periods.validate_range`). Days after today are
    not scored yet. Queries: settings (unless `calendar` is given), then on a cache miss (or
    without `use_cache`) completions per day and the intervals of overdue work (those that
    ended in a completion, and those of open tasks).
    """
    calendar = calendar or UserCalendar.of(user)
    if start is None or end is None:
        start, end = calendar.week() if period == "week" else calendar.month()
    key = (*calendar.cache_key, period, start, end)
    return _cached_if(
        use_cache,
        user,
        "productivity",
        key,
        lambda: _productivity(user, calendar, period=period, start=start, end=end),
    )


def _productivity(user, calendar: UserCalendar, *, period, start, end) -> dict:
    last = min(end, calendar.today)
    days = days_between(start, last) if start <= last else []
    # Completions from 6 days before the period, for the 7-day scores of its first days.
    window = datetime.timedelta(days=CURRENT_SCORE_DAYS - 1)
    completions = _completions_by_day(user, calendar, start - window, last) if days else {}
    overdue = _overdue_by_day(user, calendar, start, last) if days else {}
    daily = {
        day: ScoreParts(**completions.get(day, {}), **overdue.get(day, {}))
        for day in days_between(start - window, last)
    }
    total = ScoreParts.over([daily[day] for day in days])
    series = []
    for day in days:
        own = daily[day]
        week = ScoreParts.over([daily[seen] for seen in days_between(day - window, day)])
        series.append(
            {
                "date": day,
                "completed": own.completed,
                "completed_on_time": own.completed_on_time,
                "completed_late": own.completed_late,
                "overdue": own.overdue,
                "score": week.score,
                "earned_points": week.earned_points,
                "possible_points": week.possible_points,
            }
        )
    return {
        "as_of": calendar.today,
        "period": period,
        "from": start,
        "to": end,
        "score": total.score,
        "parts": total.as_dict(),
        "series": series,
    }


def _completions_by_day(user, calendar, first, last) -> dict[datetime.date, dict]:
    rows = (
        _completions(user, calendar)
        .filter(_completed_between(calendar, first, last))
        .values("done_day")
        .annotate(**_completion_aggregates(Q()))
        .order_by("done_day")
    )
    return {row.pop("done_day"): row for row in rows}


def _overdue_by_day(user, calendar, first, last) -> dict[datetime.date, dict]:
    """Count and points of the work overdue at the end of each day from `first` to `last`.

    Work is overdue at the end of day d when it was due before d and still not done at the
    end of d: over the days (due date, completion day) exclusive. Each completion closes such
    an interval (its occurrence's due date to the day it was done: a recurring task has one
    per occurrence) and each open task has one still running. The database groups them by
    those two days, clamped to the period so the groups are bounded by the number of days,
    and the intervals are summed here with a running total.
    """
    beyond = last + ONE_DAY
    due_key = Case(
        When(due_date__lt=first - ONE_DAY, then=Value(first - ONE_DAY)),
        default=F("due_date"),
        output_field=DateField(),
    )
    completed = (
        _completions(user, calendar)
        .filter(due_date__lt=last, completed_at__gte=calendar.midnight(first + ONE_DAY))
        .annotate(
            due_key=due_key,
            done_key=Case(
                When(completed_at__gte=calendar.midnight(beyond), then=Value(beyond)),
                default=F("done_day"),
                output_field=DateField(),
            ),
        )
        .values("due_key", "done_key")
        .annotate(count=Count("pk"), points=Sum(priority_weight()))
    )
    still_open = (
        _tasks(user, calendar)
        .open()
        .filter(due_date__lt=last)
        .annotate(due_key=due_key, done_key=Value(beyond, output_field=DateField()))
        .values("due_key", "done_key")
        .annotate(count=Count("pk"), points=Sum(priority_weight()))
    )
    change: dict[datetime.date, tuple[int, int]] = {}
    for row in [*completed, *still_open]:
        begins, ends = row["due_key"] + ONE_DAY, row["done_key"]
        if begins >= ends:
            continue
        for day, sign in ((begins, 1), (ends, -1)):
            count, points = change.get(day, (0, 0))
            change[day] = (count + sign * row["count"], points + sign * row["points"])
    running_count = running_points = 0
    overdue = {}
    for day in days_between(first, last):
        count, points = change.get(day, (0, 0))
        running_count += count
        running_points += points
        overdue[day] = {"overdue": running_count, "overdue_points": running_points}
    return overdue
