"""Reads for Slack: who a Slack user is here, and what the daily plan and weekly review say."""

import datetime
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from accounts.calendar import ONE_DAY, UserCalendar
from analytics.selectors import get_goal_tracking, get_productivity
from goals.models import Goal, ProgressEntry, Status
from tasks.models import Task
from tasks.selectors import task_rows

from .models import Delivery, SlackLink

# A Slack message holds at most 50 blocks; a plan lists at most this many tasks per section.
PLAN_TASKS = 15


def link_of(user) -> SlackLink | None:
    return SlackLink.objects.select_related("workspace").filter(user=user).first()


def reminder_link_of(user) -> SlackLink | None:
    """The user's link when their task reminders go to Slack: working and switched on."""
    return (
        SlackLink.objects.working()
        .select_related("workspace")
        .filter(user=user, reminder_messages=True, user__is_active=True)
        .first()
    )


def recent_deliveries(user, limit: int = 10) -> list[Delivery]:
    """What was sent to the user lately (or failed to be), newest first, for the settings page."""
    return list(Delivery.objects.filter(user=user).order_by("-created_at")[:limit])


def last_sent_at(user) -> datetime.datetime | None:
    return (
        Delivery.objects.filter(user=user, status=Delivery.Status.SENT)
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def link_for_slack_user(team_id: str, slack_user_id: str) -> SlackLink | None:
    """The hub user behind a Slack user of a workspace, or None when they never connected."""
    return (
        SlackLink.objects.select_related("workspace", "user", "user__settings")
        .filter(workspace__team_id=team_id, slack_user_id=slack_user_id, user__is_active=True)
        .first()
    )


def links_to_schedule() -> QuerySet[SlackLink]:
    """Every working link that wants a scheduled message, with what the schedule
    needs to know (the user's zone and week start): one query."""
    return (
        SlackLink.objects.working()
        .filter(
            Q(daily_plan=True)
            | Q(weekly_review=True)
            | Q(goal_off_track=True)
            | Q(task_reminders=True)
        )
        .filter(user__is_active=True)
        .select_related("user__settings")
    )


def keys_delivered(user_ids, since: datetime.datetime) -> set[tuple]:
    """(user id, kind, key) of the deliveries created since `since`, for skipping them."""
    return set(
        Delivery.objects.filter(user_id__in=user_ids, created_at__gte=since).values_list(
            "user_id", "kind", "key"
        )
    )


def goals_completed_since(since: datetime.datetime) -> QuerySet[Goal]:
    """Goals completed since `since` by users who want to hear of it, after they connected."""
    return Goal.objects.filter(
        Q(completed_at__gte=since),
        Q(completed_at__gte=F("user__slack_link__created_at")),
        user__slack_link__goal_completed=True,
        user__slack_link__workspace__broken_reason="",
    ).only("pk", "user_id", "completed_at")


@dataclass(frozen=True)
class DailyPlan:
    today: datetime.date
    due_today: list[Task]
    overdue: list[Task]


def daily_plan(user, calendar: UserCalendar) -> DailyPlan:
    """Today's open tasks and the overdue ones, as the dashboard lists them. Two queries."""
    tasks = task_rows(user, calendar.today)
    return DailyPlan(
        today=calendar.today,
        due_today=list(tasks.open().filter(due_date=calendar.today)[:PLAN_TASKS]),
        overdue=list(tasks.overdue(calendar.today)[:PLAN_TASKS]),
    )


@dataclass(frozen=True)
class GoalMove:
    goal: Goal
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before


@dataclass(frozen=True)
class WeeklyReview:
    start: datetime.date
    end: datetime.date
    score: int | None
    parts: dict
    moved: list[GoalMove]
    slipped: list[Task]


def weekly_review(user, calendar: UserCalendar) -> WeeklyReview:
    """The user's current week: its score and parts (analytics' own figure), the goals whose
    progress moved (from the last value before the week to the last within it) and the tasks
    due in the week that slipped (still open after their due day, or done after it). Four
    queries."""
    start, end = calendar.week()
    productivity = get_productivity(
        user=user, start=start, end=end, calendar=calendar, use_cache=False
    )
    week_begins, week_ends = calendar.midnight(start), calendar.midnight(end + ONE_DAY)

    def last_value(before: datetime.datetime):
        return Subquery(
            ProgressEntry.objects.filter(goal=OuterRef("pk"), created_at__lt=before)
            .order_by("-created_at")
            .values("value")[:1]
        )

    goals = (
        Goal.objects.owned_by(user)
        .filter(
            progress_entries__created_at__gte=week_begins,
            progress_entries__created_at__lt=week_ends,
        )
        .distinct()
        .annotate(before=last_value(week_begins), after=last_value(week_ends))
        .order_by("title")
    )
    moved = [
        GoalMove(goal=goal, before=goal.before or 0, after=goal.after)
        for goal in goals
        if goal.after != (goal.before or 0)
    ]
    slipped = list(
        Task.objects.owned_by(user)
        .filter(due_date__gte=start, due_date__lte=end)
        .annotate(done_day=TruncDate("completed_at", tzinfo=calendar.tzinfo))
        .filter(
            Q(completed_at__isnull=True, due_date__lt=calendar.today)
            | Q(done_day__gt=F("due_date"))
        )
        .order_by("due_date", "priority")[:PLAN_TASKS]
    )
    return WeeklyReview(
        start=start,
        end=end,
        score=productivity["score"],
        parts=productivity["parts"],
        moved=moved,
        slipped=slipped,
    )


def off_track_goals(user, calendar: UserCalendar) -> list[dict]:
    """Active goals behind their steady path to the target date (analytics' tracking)."""
    tracking = get_goal_tracking(user=user, calendar=calendar)
    return [
        goal
        for goal in tracking["goals"]
        if goal["status"] == Status.ACTIVE and goal["on_track"] is False
    ]
