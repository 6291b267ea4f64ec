"""Writes for Slack: installing and removing, scheduling and sending messages, and what the
slash commands and buttons do. Calls to Slack itself go through `client`."""

import dataclasses
import datetime
import re
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.calendar import ONE_DAY, UserCalendar
from accounts.services import settings_for
from goals.models import Goal, Source, Status
from goals.selectors import goals_of
from goals.services import check_in
from lib import notifications
from tasks.selectors import get_task_or_404
from tasks.services import complete_task, quick_add

from . import blocks, client, selectors
from .models import Delivery, SlackLink, Workspace

# How late a scheduled message may still go out when beat was down at its time.
CATCH_UP = datetime.timedelta(hours=1)
# Goal completions older than this when first seen (a long outage) are not announced.
COMPLETION_NEWS_AGE = datetime.timedelta(days=1)


# --- Installing and removing -----------------------------------------------------------------


def install(*, user, code: str, redirect_uri: str) -> SlackLink:
    """Finish "Add to Slack": trade the code for the bot token and link the installing Slack
    user to `user`. Raises client.SlackError when Slack refuses the code."""
    answer = client.oauth_access(code=code, redirect_uri=redirect_uri)
    try:
        team, slack_user_id, token = (
            answer["team"],
            answer["authed_user"]["id"],
            answer["access_token"],
        )
        team_id = team["id"]
    except (KeyError, TypeError):
        raise client.SlackError("unexpected_oauth_answer") from None
    return _save_install(
        user=user,
        team_id=team_id,
        team_name=team.get("name", ""),
        slack_user_id=slack_user_id,
        token=token,
        answer=answer,
    )


@transaction.atomic
def _save_install(*, user, team_id, team_name, slack_user_id, token, answer) -> SlackLink:
    workspace, _ = Workspace.objects.select_for_update().get_or_create(
        team_id=team_id, defaults={"bot_token_encrypted": ""}
    )
    workspace.team_name = team_name
    workspace.app_id = answer.get("app_id", "")
    workspace.bot_user_id = answer.get("bot_user_id", "")
    workspace.scope = answer.get("scope", "")
    workspace.bot_token = token
    workspace.broken_reason, workspace.broken_at = "", None
    workspace.save()
    previous = selectors.link_of(user)
    # One hub user per Slack member: whoever connects last owns the link.
    SlackLink.objects.filter(workspace=workspace, slack_user_id=slack_user_id).exclude(
        user=user
    ).delete()
    link, _ = SlackLink.objects.update_or_create(
        user=user,
        defaults={"workspace": workspace, "slack_user_id": slack_user_id, "dm_channel_id": ""},
    )
    if previous and previous.workspace_id != workspace.pk:
        # A move to another workspace: the old one's token goes with its last user.
        Workspace.objects.filter(pk=previous.workspace_id, links__isnull=True).delete()
    return link


@transaction.atomic
def disconnect(*, user) -> None:
    """Forget the user's Slack link; the workspace's token goes with its last linked user."""
    link = selectors.link_of(user)
    if link is None:
        return
    workspace = link.workspace
    link.delete()
    if not workspace.links.exists():
        workspace.delete()


@transaction.atomic
def remove_workspace(*, team_id: str) -> None:
    """app_uninstalled: the token and every link of the workspace are gone."""
    Workspace.objects.filter(team_id=team_id).delete()


@transaction.atomic
def revoke_tokens(*, team_id: str, bot_user_ids, user_ids) -> None:
    """tokens_revoked: a revoked bot token ends the workspace; revoked user grants end those
    users' links."""
    workspace = Workspace.objects.filter(team_id=team_id).first()
    if workspace is None:
        return
    if workspace.bot_user_id and workspace.bot_user_id in bot_user_ids:
        workspace.delete()
        return
    workspace.links.filter(slack_user_id__in=user_ids).delete()


PREFERENCE_FIELDS = {
    "channel_id",
    "reminder_messages",
    "goal_completed",
    "goal_off_track",
    "task_reminders",
    "task_reminder_time",
    "daily_plan",
    "daily_plan_time",
    "weekly_review",
    "weekly_review_time",
}


@transaction.atomic
def update_preferences(*, link: SlackLink, **fields) -> SlackLink:
    unknown = set(fields) - PREFERENCE_FIELDS
    if unknown:
        raise ValueError(f"Not a Slack preference: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(link, name, value)
    link.save(update_fields=[*fields, "updated_at"])
    return link


# --- Scheduling ------------------------------------------------------------------------------


def _claim(user_id, kind: str, key: str, subject_id: str = "") -> Delivery | None:
    """The new delivery for (user, kind, key), or None when one exists: the unique
    constraint decides between concurrent beats."""
    delivery, created = Delivery.objects.get_or_create(
        user_id=user_id, kind=kind, key=key, defaults={"subject_id": subject_id}
    )
    return delivery if created else None


def _moment_due(day: datetime.date, at: datetime.time, tzinfo, now) -> bool:
    moment = datetime.datetime.combine(day, at, tzinfo=tzinfo)
    return moment <= now < moment + CATCH_UP


def schedule_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Create the deliveries due at `now` (beat calls this every minute) and return their
    ids: daily plans, task reminders and weekly reviews at each user's local time, goals
    fallen behind (once a week per goal), goals completed. Each exists once, however many
    beats ask."""
    now = now or timezone.now()
    links = list(selectors.links_to_schedule())
    seen = selectors.keys_delivered([link.user_id for link in links], now - 2 * CATCH_UP - ONE_DAY)
    created: list[Delivery | None] = []

    def claim(user_id, kind, key, subject_id=""):
        if (user_id, kind, key) not in seen:
            created.append(_claim(user_id, kind, key, subject_id))

    for link in links:
        calendar = UserCalendar.of(link.user, user_settings=link.user.settings)
        for day in (calendar.today, calendar.today - ONE_DAY):
            if _moment_due(day, link.daily_plan_time, calendar.tzinfo, now):
                if link.daily_plan:
                    claim(link.user_id, Delivery.Kind.DAILY_PLAN, day.isoformat())
                if link.goal_off_track:
                    _claim_off_track(link, dataclasses.replace(calendar, today=day), claim)
            if link.task_reminders and _moment_due(
                day, link.task_reminder_time, calendar.tzinfo, now
            ):
                claim(link.user_id, Delivery.Kind.TASK_REMINDER, day.isoformat())
            week_ends = day.weekday() == (calendar.week_start + 6) % 7
            if (
                link.weekly_review
                and week_ends
                and _moment_due(day, link.weekly_review_time, calendar.tzinfo, now)
            ):
                week_start = day - datetime.timedelta(days=6)
                claim(link.user_id, Delivery.Kind.WEEKLY_REVIEW, week_start.isoformat())
    for goal in selectors.goals_completed_since(now - COMPLETION_NEWS_AGE):
        assert goal.completed_at is not None  # the query asks for it
        key = f"{goal.pk}:{int(goal.completed_at.timestamp())}"
        claim(goal.user_id, Delivery.Kind.GOAL_COMPLETED, key, str(goal.pk))
    return [delivery.pk for delivery in created if delivery is not None]


def _claim_off_track(link: SlackLink, calendar: UserCalendar, claim) -> None:
    # The tracking figure is read once a day per user (not on every tick of the window).
    if not cache.add(f"slack:off-track:{link.user_id}:{calendar.today}", 1, timeout=86400):
        return
    week_start, _ = calendar.week()
    for goal in selectors.off_track_goals(link.user, calendar):
        key = f"{goal['id']}:{week_start}"
        claim(link.user_id, Delivery.Kind.GOAL_OFF_TRACK, key, str(goal["id"]))


# --- Sending ---------------------------------------------------------------------------------


def _calendar_for(delivery: Delivery, user) -> UserCalendar:
    """The user's calendar as of the day the delivery is about (a retry after midnight still
    sends that day's plan)."""
    calendar = UserCalendar.of(user)
    if delivery.kind in (Delivery.Kind.DAILY_PLAN, Delivery.Kind.TASK_REMINDER):
        return dataclasses.replace(calendar, today=datetime.date.fromisoformat(delivery.key))
    if delivery.kind == Delivery.Kind.WEEKLY_REVIEW:
        start = datetime.date.fromisoformat(delivery.key)
        return dataclasses.replace(calendar, today=start + datetime.timedelta(days=6))
    return calendar


def _message(delivery: Delivery, user) -> blocks.Message | None:
    """What the delivery says, or None when there is nothing to say any more."""
    calendar = _calendar_for(delivery, user)
    match delivery.kind:
        case Delivery.Kind.DAILY_PLAN:
            return blocks.daily_plan(selectors.daily_plan(user, calendar))
        case Delivery.Kind.WEEKLY_REVIEW:
            return blocks.weekly_review(selectors.weekly_review(user, calendar))
        case Delivery.Kind.GOAL_COMPLETED:
            goal = goals_of(user).filter(pk=delivery.subject_id, status=Status.COMPLETED).first()
            return blocks.goal_completed(goal) if goal else None
        case Delivery.Kind.GOAL_OFF_TRACK:
            behind = selectors.off_track_goals(user, calendar)
            goal = next((g for g in behind if str(g["id"]) == delivery.subject_id), None)
            return blocks.goal_off_track(goal) if goal else None
        case Delivery.Kind.TASK_REMINDER:
            still_open = selectors.daily_plan(user, calendar).due_today
            return blocks.task_reminder(still_open) if still_open else None
    return None


def _channel(link: SlackLink) -> str:
    """The chosen channel, else the bot's DM with the user (opened once, then remembered)."""
    if link.channel_id:
        return link.channel_id
    if not link.dm_channel_id:
        opened = client.call(
            "conversations.open", token=link.workspace.bot_token, users=link.slack_user_id
        )
        link.dm_channel_id = opened["channel"]["id"]
        link.save(update_fields=["dm_channel_id", "updated_at"])
    return link.dm_channel_id


@transaction.atomic
def send_delivery(*, delivery_id: int, now=None) -> Delivery | None:
    """Send a pending delivery once. The row stays locked while Slack is called, so a second
    worker holding the same id skips it. Raises client.SlackUnavailable (rate limit, Slack
    down) for the task to retry; other refusals end the delivery as failed."""
    delivery = (
        Delivery.objects.select_for_update(skip_locked=True)
        .filter(pk=delivery_id, status=Delivery.Status.PENDING)
        .select_related("user")
        .first()
    )
    if delivery is None:
        return None  # sent or given up already, or being sent by another worker right now
    link = selectors.link_of(delivery.user)
    if link is None or link.workspace.is_broken:
        return _finish(delivery, Delivery.Status.FAILED, error="Slack is not connected")
    with translation.override(_language(delivery.user)):
        message = _message(delivery, delivery.user)
    if message is None:
        return _finish(delivery, Delivery.Status.SKIPPED)
    try:
        channel = _channel(link)
        posted = client.call(
            "chat.postMessage", token=link.workspace.bot_token, channel=channel, **message
        )
    except client.SlackAuthError as error:
        link.workspace.mark_broken(error.error)
        return _finish(delivery, Delivery.Status.FAILED, error=error.error)
    except client.SlackUnavailable:
        raise
    except client.SlackError as error:
        return _finish(delivery, Delivery.Status.FAILED, error=error.error)
    delivery.channel_id, delivery.message_ts = posted.get("channel", channel), posted.get("ts", "")
    delivery.sent_at = now or timezone.now()
    return _finish(delivery, Delivery.Status.SENT)


def _finish(delivery: Delivery, status: str, *, error: str = "") -> Delivery:
    delivery.status, delivery.error = status, error[:255]
    delivery.attempts += 1
    delivery.save(
        update_fields=["status", "error", "attempts", "channel_id", "message_ts", "sent_at"]
    )
    return delivery


@transaction.atomic
def record_attempt(*, delivery_id: int, error: str, give_up: bool) -> None:
    """A send that Slack asked to retry later (or the last one, with `give_up`)."""
    delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return
    if give_up:
        _finish(delivery, Delivery.Status.FAILED, error=error)
    else:
        delivery.attempts += 1
        delivery.error = error[:255]
        delivery.save(update_fields=["attempts", "error"])


# --- Notifications from the rest of the hub (lib.notifications) ------------------------------


def reaches(user) -> bool:
    """Whether the user's reminders may go to Slack: connected, working and switched on."""
    return selectors.reminder_link_of(user) is not None


def send_notification(*, notification: notifications.Notification, now=None) -> Delivery | None:
    """Post a notification (a task's reminder) to the user's DM or chosen channel, once per
    notification key. A failure is recorded on the delivery (the settings page lists it) and
    raised again, for `lib.notifications.deliver` to count this channel as failed."""
    delivery, error = _send_notification(notification, now or timezone.now())
    if error is not None:
        raise error
    return delivery


@transaction.atomic
def _send_notification(notification, now) -> tuple[Delivery | None, client.SlackError | None]:
    link = selectors.reminder_link_of(notification.user)
    if link is None:
        return None, None
    key = (notification.key or f"at:{now.isoformat()}")[:100]
    Delivery.objects.get_or_create(user=notification.user, kind=Delivery.Kind.REMINDER, key=key)
    # Locked while Slack is called: a second sender of the same key waits, then sees it sent.
    delivery = Delivery.objects.select_for_update().get(
        user=notification.user, kind=Delivery.Kind.REMINDER, key=key
    )
    if delivery.status == Delivery.Status.SENT:
        return delivery, None
    message = blocks.notification(notification.subject, notification.body, notification.url)
    try:
        channel = _channel(link)
        posted = client.call(
            "chat.postMessage", token=link.workspace.bot_token, channel=channel, **message
        )
    except client.SlackError as error:
        if isinstance(error, client.SlackAuthError):
            link.workspace.mark_broken(error.error, now=now)
        return _finish(delivery, Delivery.Status.FAILED, error=error.error), error
    delivery.channel_id, delivery.message_ts = posted.get("channel", channel), posted.get("ts", "")
    delivery.sent_at = now
    return _finish(delivery, Delivery.Status.SENT), None


# --- Slash commands and buttons --------------------------------------------------------------

USAGE = {
    "/log": _("`/log <goal> <value or %> [note]`, e.g. `/log Marathon 40% long run done`"),
    "/task": _("`/task <what to do>`, e.g. `/task Book the dentist`"),
    "/today": _("`/today` lists today's and overdue tasks"),
}
AMOUNT = re.compile(r"^(?P<amount>\d{1,3})(?P<percent>%?)$")


def run_command(*, team_id: str, slack_user_id: str, command: str, text: str) -> blocks.Message:
    """What a slash command does, and the reply its user sees (only they see it)."""
    link = selectors.link_for_slack_user(team_id, slack_user_id)
    if link is None:
        return blocks.how_to_connect()
    # The reply speaks the language the user chose in their settings.
    with translation.override(_language(link.user)):
        return _command(link.user, command, text.strip())


def _language(user) -> str:
    """The language of the user's settings."""
    return settings_for(user).language


def _command(user, command: str, text: str) -> blocks.Message:
    match command:
        case "/log":
            return _log(user, text)
        case "/task":
            if not text:
                return blocks.ephemeral(
                    gettext("What should the task say? %(usage)s") % {"usage": USAGE["/task"]}
                )
            return _add_task(user, text)
        case "/today":
            calendar = UserCalendar.of(user, user_settings=user.settings)
            plan = blocks.daily_plan(selectors.daily_plan(user, calendar))
            return blocks.ephemeral(plan["text"], plan["blocks"])
    return blocks.ephemeral(
        gettext("Unknown command %(command)s. Try %(usage)s")
        % {"command": command, "usage": ", ".join(str(usage) for usage in USAGE.values())}
    )


GOAL_LOOKUPS = ("iexact", "istartswith", "icontains")


def _goals_named(user, name: str, lookup: str) -> list[Goal]:
    """The user's goals whose title matches `name` by `lookup`, active ones only if any."""
    found = list(goals_of(user).filter(**{f"title__{lookup}": name}).order_by("title")[:6])
    return [goal for goal in found if goal.status == Status.ACTIVE] or found


def _log(user, text: str) -> blocks.Message:
    """`/log <goal> <value or %> [note]`. The goal's name ends before some word that is an
    amount ("Read 12 books 50%" has two): an exact title wins over a title's start, which
    wins over a part of one; several goals fitting equally well are listed, not guessed."""
    words = text.split()
    splits = [(i, match) for i, word in enumerate(words) if i and (match := AMOUNT.match(word))]
    if not splits:
        return blocks.ephemeral(
            gettext("Say which goal and how far. %(usage)s") % {"usage": USAGE["/log"]}
        )
    for lookup in GOAL_LOOKUPS:
        for i, match in splits:
            name = " ".join(words[:i])
            goals = _goals_named(user, name, lookup)
            if len(goals) > 1:
                names = ", ".join(f"*{blocks.escape(goal.title)}*" for goal in goals)
                return blocks.ephemeral(
                    gettext("Several goals match “%(name)s”: %(names)s. Be more specific.")
                    % {"name": blocks.escape(name), "names": names}
                )
            if goals:
                note = " ".join(words[i + 1 :])
                return _check_in(goals[0], int(match["amount"]), note=note)
    name = " ".join(words[: splits[0][0]])
    return blocks.ephemeral(
        gettext("You have no goal called “%(name)s”.") % {"name": blocks.escape(name)}
    )


def _check_in(goal: Goal, amount: int, *, note: str) -> blocks.Message:
    """Write a check-in from Slack. A goal's progress is a percentage (0-100), so a bare
    number is one too."""
    if amount > 100:
        return blocks.ephemeral(gettext("Progress is a percentage between 0 and 100."))
    before = goal.progress
    try:
        check_in(goal=goal, progress=amount, note=note, source=Source.SLACK)
    except ValidationError as error:
        return blocks.ephemeral(" ".join(error.messages))
    goal.refresh_from_db(fields=["progress", "status"])
    done = " :tada: " + gettext("Goal completed!") if goal.status == Status.COMPLETED else ""
    return blocks.ephemeral(
        gettext("Logged *%(title)s*: %(before)s%% → %(after)s%%.")
        % {"title": blocks.escape(goal.title), "before": before, "after": goal.progress}
        + done
    )


def _add_task(user, text: str) -> blocks.Message:
    """Quick-add a task from Slack, read as the web's quick add reads it ("Call mom tomorrow
    18:00 p1 #family")."""
    try:
        task = quick_add(user=user, text=text[:255])
    except ValidationError as error:
        return blocks.ephemeral(" ".join(error.messages))
    return blocks.ephemeral(
        gettext("Added %(title)s") % {"title": task.title}, [blocks.task_row(task)]
    )


def run_interaction(*, payload: dict[str, Any]) -> blocks.Message | None:
    """A button pressed on one of our messages; the message that replaces it, if any."""
    team, member = payload.get("team"), payload.get("user")
    team_id = str(team.get("id", "")) if isinstance(team, dict) else ""
    slack_user_id = str(member.get("id", "")) if isinstance(member, dict) else ""
    link = selectors.link_for_slack_user(team_id, slack_user_id)
    if link is None:
        return {**blocks.how_to_connect(), "replace_original": False}
    with translation.override(_language(link.user)):
        return _press(link, payload)


def _press(link: SlackLink, payload: dict[str, Any]) -> blocks.Message:
    message = payload.get("message")
    message = message if isinstance(message, dict) else {}
    rows = [row for row in message.get("blocks") or [] if isinstance(row, dict)]
    actions = payload.get("actions")
    for action in actions if isinstance(actions, list) else []:
        if not isinstance(action, dict) or action.get("action_id") != blocks.DONE_ACTION:
            continue
        try:
            task = get_task_or_404(link.user, action.get("value"))
        except Http404:
            return {
                **blocks.ephemeral(gettext("That task no longer exists.")),
                "replace_original": False,
            }
        complete_task(task=task)
        rows = [
            blocks.done_row(task.title) if row.get("block_id") == f"task-{task.pk}" else row
            for row in rows
        ]
    return {"replace_original": True, "text": message.get("text", ""), "blocks": rows}


def handle_event(*, body: dict[str, Any]) -> None:
    """Events API callbacks: uninstalling the app or revoking its tokens removes the links."""
    event, team_id = body.get("event"), str(body.get("team_id", ""))
    if not isinstance(event, dict):
        return
    if event.get("type") == "app_uninstalled":
        remove_workspace(team_id=team_id)
    elif event.get("type") == "tokens_revoked":
        tokens = event.get("tokens")
        tokens = tokens if isinstance(tokens, dict) else {}
        revoke_tokens(
            team_id=team_id,
            bot_user_ids=[str(id) for id in tokens.get("bot") or []],
            user_ids=[str(id) for id in tokens.get("oauth") or []],
        )
