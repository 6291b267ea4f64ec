"""Reads of calendar sync: feeds, app passwords, and the CalDAV collection of a user's tasks."""

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, Q
from django.http import Http404

from accounts.calendar import UserCalendar
from goals.models import Goal, Status
from lib.shortcuts import get_or_404
from plans.models import Plan
from tasks.models import Task

from . import ical
from .models import AppPassword, Feed, SyncState, normalize_app_password, secret_digest


def feed_of(user) -> Feed | None:
    return Feed.objects.filter(user=user).first()


def get_feed_by_token_or_404(token: str) -> Feed:
    """The active feed whose URL carries `token` (with its owner's settings); else 404."""
    feed = (
        Feed.objects.select_related("user__settings")
        .filter(token_digest=secret_digest(token), user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404("No such calendar feed.")
    return feed


def feed_items(feed: Feed) -> ical.FeedItems:
    """What the feed shows, under its options: three queries, whatever the number of rows
    (tasks with their goals; goals; plans). Whether goals or labels are picked is asked
    inside each query, not in queries of its own."""
    user = feed.user
    picked_goals = Feed.goals.through.objects.filter(feed=feed.pk)
    picked_labels = Feed.labels.through.objects.filter(feed=feed.pk)
    no_goal_picked = ~Exists(picked_goals)

    tasks = (
        Task.objects.owned_by(user)
        .filter(due_date__isnull=False)
        .select_related("goal", "time_block")
    )
    goals = Goal.objects.owned_by(user).filter(target_date__isnull=False)
    if not feed.include_completed:
        tasks = tasks.open()
        goals = goals.exclude(status=Status.COMPLETED)
    in_picked = no_goal_picked | Q(goal__in=picked_goals.values("goal"))
    if feed.include_tasks_without_goal:
        in_picked |= Q(goal__isnull=True)
    labelled = Task.labels.through.objects.filter(
        task=OuterRef("pk"), label__in=picked_labels.values("label")
    )
    tasks = tasks.filter(in_picked).filter(~Exists(picked_labels) | Exists(labelled))
    goals = goals.filter(no_goal_picked | Q(pk__in=picked_goals.values("goal")))
    plans = Plan.objects.owned_by(user).filter(end_date__isnull=False)
    return ical.FeedItems(
        tzinfo=UserCalendar.of(user, user_settings=user.settings).tzinfo,
        tasks=list(tasks.order_by("due_date", "created_at", "pk")),
        goals=list(goals.order_by("target_date", "pk")) if feed.include_goal_dates else [],
        plans=list(plans.order_by("end_date", "pk")) if feed.include_plan_dates else [],
    )


def app_passwords_of(user):
    return AppPassword.objects.owned_by(user)


def get_app_password_or_404(user, pk) -> AppPassword:
    return get_or_404(app_passwords_of(user), pk)


def authenticate_app_password(login: str, password: str) -> AppPassword | None:
    """The app password `password` of the active user whose email or username is `login`."""
    app_password = (
        AppPassword.objects.select_related("user__settings")
        .filter(digest=secret_digest(normalize_app_password(password)), user__is_active=True)
        .first()
    )
    if app_password is None:
        return None
    user = app_password.user
    names = {user.email.casefold(), (user.username or "").casefold()} - {""}
    return app_password if login.casefold() in names else None


def last_sync_at(user):
    """When a calendar last fetched anything of the user's: the feed or a device."""
    feed_at = Feed.objects.filter(user=user).values_list("last_accessed_at", flat=True).first()
    device_at = AppPassword.objects.filter(user=user).aggregate(at=Max("last_used_at"))["at"]
    return max((at for at in (feed_at, device_at) if at is not None), default=None)


def deletions_flag(user_id) -> str:
    """The cache key saying a user has tasks deleted on a device to be told of: the web's
    pages look at it (a cache read, not a query) and read the deletions only when it is set."""
    return f"calendar_sync:deleted:{user_id}"


def has_deletions(user) -> bool:
    return bool(cache.get(deletions_flag(user.pk)))


# --- The CalDAV collection ----------------------------------------------------------------------


@dataclass(frozen=True)
class Resource:
    """A task as a calendar object resource: its name in the collection, its UID and ETag."""

    task: Task
    name: str
    uid: str

    @property
    def etag(self) -> str:
        return ical.etag(self.task)


def _resource(task: Task) -> Resource:
    link = getattr(task, "caldav_resource", None)
    if link is not None:
        return Resource(task=task, name=link.name, uid=link.uid)
    return Resource(task=task, name=ical.default_name(task), uid=ical.default_uid(task))


def _tasks(user):
    return Task.objects.owned_by(user).select_related("caldav_resource")


def collection(user) -> list[Resource]:
    """Every task of the user as a resource: one query."""
    return [_resource(task) for task in _tasks(user).order_by("created_at", "pk")]


def resources_named(user, names) -> dict[str, Resource]:
    """The resources among `names` that exist, by name: one query."""
    names = set(names)
    ids = []
    for name in names:
        try:
            ids.append(uuid.UUID(name.removesuffix(".ics")))
        except ValueError:
            continue
    wanted = Q(caldav_resource__name__in=names) | Q(pk__in=ids, caldav_resource__isnull=True)
    found = (_resource(task) for task in _tasks(user).filter(wanted))
    return {resource.name: resource for resource in found if resource.name in names}


def resource_with_uid(user, uid: str) -> Resource | None:
    try:
        task_id = uuid.UUID(uid.removesuffix(f"@{ical.UID_DOMAIN}"))
    except ValueError:
        task_id = None
    wanted = Q(caldav_resource__uid=uid)
    if task_id is not None and uid == f"{task_id}@{ical.UID_DOMAIN}":
        wanted |= Q(pk=task_id, caldav_resource__isnull=True)
    task = _tasks(user).filter(wanted).first()
    return _resource(task) if task else None


def state_digest(etags: dict[str, str]) -> str:
    """The sync token of a collection state: a digest of its names and ETags."""
    text = "\n".join(f"{name} {etags[name]}" for name in sorted(etags))
    return hashlib.sha256(text.encode()).hexdigest()


def sync_state(user, digest: str) -> SyncState | None:
    return SyncState.objects.filter(user=user, digest=digest).first()


# --- Time blocks ---------------------------------------------------------------------------------

# Tasks without a date offered for a day's plan, at most.
UNDATED_SHOWN = 20


@dataclass(frozen=True)
class DayPlan:
    day: dt.date
    timed: list[Task]  # due that day at a time, by time
    untimed: list[Task]  # open, due that day at no particular time
    undated: list[Task]  # open, no date yet: the first few, by priority


def day_plan(user, day: dt.date) -> DayPlan:
    """A day's time blocks and what could still go into it: two queries."""
    due = (
        Task.objects.owned_by(user)
        .filter(due_date=day)
        .select_related("time_block")
        .order_by("due_time", "priority", "created_at", "pk")
    )
    undated = (
        Task.objects.owned_by(user)
        .open()
        .filter(due_date__isnull=True)
        .select_related("time_block")  # a block kept from a date the task no longer has
        .order_by("priority", "-created_at", "pk")[:UNDATED_SHOWN]
    )
    tasks = list(due)
    return DayPlan(
        day=day,
        timed=[task for task in tasks if task.due_time is not None],
        untimed=[task for task in tasks if task.due_time is None and not task.is_completed],
        undated=list(undated),
    )
