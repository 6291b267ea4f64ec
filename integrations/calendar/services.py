"""Writes of calendar sync: feed tokens, app passwords, and tasks changed by CalDAV clients.

Tasks change only through the tasks app's services, like an edit on the web.
"""

import datetime as dt

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.encryption import encrypt
from tasks import services as task_services
from tasks import undo
from tasks.models import Task

from . import ical, selectors
from .ical import TodoChange
from .models import (
    AppPassword,
    DeletedTask,
    Feed,
    SyncState,
    TaskResource,
    TimeBlock,
    normalize_app_password,
    secret_digest,
)
from .selectors import Resource

# A device's "last used" is kept to the minute: a sync is a burst of requests.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
# Sync tokens older than the newest ones are forgotten; a client holding one syncs afresh.
SYNC_STATES_KEPT = 50
UNTITLED = _("Untitled task")
# A deletion from a device not yet seen on the web can be undone for this long.
DELETIONS_KEPT = dt.timedelta(days=7)


@transaction.atomic
def rotate_feed(*, user) -> str:
    """A new secret feed token for `user`; the previous URL stops working. Returns the token."""
    token = Feed.new_token()
    feed, _ = Feed.objects.select_for_update().get_or_create(user=user)
    feed.token_digest = secret_digest(token)
    feed.token_encrypted = encrypt(token)
    feed.save(update_fields=["token_digest", "token_encrypted", "updated_at"])
    return token


@transaction.atomic
def revoke_feed(*, user) -> None:
    """The feed URL answers 404 from now on; its options stay for a new one."""
    Feed.objects.filter(user=user).update(
        token_digest=None, token_encrypted="", updated_at=timezone.now()
    )


@transaction.atomic
def update_feed_options(*, user, goals=None, labels=None, **options) -> Feed:
    allowed = {
        "include_completed",
        "include_goal_dates",
        "include_plan_dates",
        "include_tasks_without_goal",
    }
    unknown = set(options) - allowed
    if unknown:
        raise TypeError(f"Unknown feed options: {sorted(unknown)}")
    feed, _ = Feed.objects.select_for_update().get_or_create(user=user)
    for name, value in options.items():
        setattr(feed, name, value)
    feed.save()
    if goals is not None:
        if any(goal.user_id != user.pk for goal in goals):
            raise ValueError(gettext("A feed shows only its owner's goals."))
        feed.goals.set(goals)
    if labels is not None:
        if any(label.user_id != user.pk for label in labels):
            raise ValueError(gettext("A feed shows only its owner's labels."))
        feed.labels.set(labels)
    return feed


def record_feed_served(*, feed: Feed, body_etag: str, now) -> None:
    """Note the poll, and when the body changed: one query, whatever happened."""
    changed = feed.body_etag != body_etag
    values = {"last_accessed_at": now}
    if changed:
        values |= {"body_etag": body_etag, "body_changed_at": now}
    Feed.objects.filter(pk=feed.pk).update(**values)
    for name, value in values.items():
        setattr(feed, name, value)


@transaction.atomic
def create_app_password(*, user, name: str) -> tuple[AppPassword, str]:
    """A new app password for a device; the password is returned once and never stored."""
    password = AppPassword.new_password()
    app_password = AppPassword(
        user=user, name=name.strip(), digest=secret_digest(normalize_app_password(password))
    )
    app_password.full_clean(exclude=["user"])
    app_password.save()
    return app_password, password


@transaction.atomic
def revoke_app_password(*, app_password: AppPassword) -> None:
    app_password.delete()


def record_app_password_use(*, app_password: AppPassword, user_agent: str, now) -> None:
    """Note a device's request: one query, which writes at most once a minute."""
    AppPassword.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION),
        pk=app_password.pk,
    ).update(last_used_at=now, last_user_agent=user_agent[:255])


@transaction.atomic
def disconnect(*, user) -> None:
    """Revoke the feed and every app password of `user`."""
    revoke_feed(user=user)
    AppPassword.objects.filter(user=user).delete()


# --- CalDAV writes -------------------------------------------------------------------------------


@transaction.atomic
def create_task_from_todo(*, user, name: str, change: TodoChange) -> Task:
    """A task for a to-do a client created under `name`, keeping its name and UID."""
    fields = _task_fields(change)
    if change.recurrence:
        fields["recurrence"] = change.recurrence
    task = task_services.create_task(user=user, **fields)
    TaskResource.objects.create(task=task, user=user, name=name, uid=change.uid)
    if change.completed_at is not None:
        task_services.complete_task(task=task, now=change.completed_at)
    return task


@transaction.atomic
def update_task_from_todo(*, resource: Resource, change: TodoChange) -> Task:
    """Apply a client's edit of a to-do: the fields it changed, then completion or reopening."""
    task = resource.task
    fields = {
        name: value for name, value in _task_fields(change).items() if getattr(task, name) != value
    }
    scope = task_services.THIS_OCCURRENCE
    if change.recurrence is not None and not ical.same_rule(
        change.recurrence, ical.series_rule(task)
    ):
        # A new RRULE (what the client was shown is the series from this occurrence on):
        # the series starts again at the to-do's date, as a new rule on the web does.
        fields["recurrence"], scope = change.recurrence, task_services.ALL_FUTURE
    if fields:
        # Otherwise a client knows one to-do, not a series: a new date moves this occurrence.
        task = task_services.update_task(task=task, scope=scope, **fields)
    if change.completed_at is not None and not task.is_completed:
        task = task_services.complete_task(task=task, now=change.completed_at)
    elif change.completed_at is None and task.is_completed:
        task = task_services.reopen_task(task=task)
    return task


def _task_fields(change: TodoChange) -> dict:
    return change.fields | {"title": change.fields["title"] or UNTITLED}


@transaction.atomic
def delete_task_of_resource(*, resource: Resource, device: str = "", now=None) -> None:
    """Delete a task a client deleted, keeping what undoes it until the user's next page."""
    now = now or timezone.now()
    task = resource.task
    state = undo.snapshot([task])
    task_services.delete_task(task=task)
    if state is None:
        return
    DeletedTask.objects.filter(user_id=task.user_id, deleted_at__lt=now - DELETIONS_KEPT).delete()
    DeletedTask.objects.create(
        user_id=task.user_id, title=task.title, device=device[:100], state=state, deleted_at=now
    )
    transaction.on_commit(
        lambda: cache.set(selectors.deletions_flag(task.user_id), 1, DELETIONS_KEPT.total_seconds())
    )


@transaction.atomic
def take_deletions(*, user) -> list[DeletedTask]:
    """The deletions not yet offered for undo, oldest first, handed over (removed here)."""
    cache.delete(selectors.deletions_flag(user.pk))
    taken = list(
        DeletedTask.objects.select_for_update(skip_locked=True)
        .filter(user=user)
        .order_by("deleted_at", "pk")
    )
    DeletedTask.objects.filter(pk__in=[deletion.pk for deletion in taken]).delete()
    return taken


@transaction.atomic
def remember_sync_state(*, user, digest: str, etags: dict[str, str], now) -> None:
    """Keep what the sync token `digest` stands for, and forget the oldest tokens: two queries."""
    SyncState.objects.bulk_create(
        [SyncState(user=user, digest=digest, etags=etags, seen_at=now)],
        update_conflicts=True,
        unique_fields=["user", "digest"],
        update_fields=["seen_at"],
    )
    stale = SyncState.objects.filter(user=user).order_by("-seen_at").values("pk")
    SyncState.objects.filter(pk__in=stale[SYNC_STATES_KEPT:]).delete()


# --- Time blocks ---------------------------------------------------------------------------------


@transaction.atomic
def schedule_task(*, task: Task, day: dt.date, start: dt.time | None, minutes: int) -> Task:
    """Set time aside for a task: due on `day` at `start`, for `minutes`.

    The date and time are the task's own (changed through the tasks' services, like an edit on
    the task's page); the length is the time block's. Without a `start` the task is due all day
    and has no block.
    """
    task = task_services.update_task(
        task=task, scope=task_services.THIS_OCCURRENCE, due_date=day, due_time=start
    )
    if start is None:
        TimeBlock.objects.filter(task=task).delete()
    else:
        block = TimeBlock(task=task, user_id=task.user_id, minutes=minutes)
        block.full_clean(exclude=["task", "user"])
        TimeBlock.objects.update_or_create(
            task=task, defaults={"user_id": task.user_id, "minutes": minutes}
        )
    return task
