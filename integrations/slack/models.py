"""Slack: the workspaces the app is installed in, who is who there, and what was sent.

A workspace holds the bot token (encrypted at rest); each hub user who added the app is a
`SlackLink` to their Slack user in it, with their notification choices. A `Delivery` is one
scheduled or triggered message; its key makes "once per user and period" a database fact.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.encryption import decrypt, encrypt


class Workspace(models.Model):
    """A Slack workspace (team) with the app installed; the bot token is the workspace's."""

    team_id = models.CharField(max_length=32, unique=True)
    team_name = models.CharField(max_length=255, blank=True)
    app_id = models.CharField(max_length=32, blank=True)
    bot_user_id = models.CharField(max_length=32, blank=True)
    bot_token_encrypted = models.TextField()
    scope = models.TextField(blank=True)
    # Set when Slack refused the token (invalid_auth, account_inactive): nothing is sent until
    # someone adds the app again, and the settings page says so.
    broken_reason = models.CharField(max_length=64, blank=True)
    broken_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.team_name or self.team_id

    @property
    def bot_token(self) -> str:
        return decrypt(self.bot_token_encrypted)

    @bot_token.setter
    def bot_token(self, token: str) -> None:
        self.bot_token_encrypted = encrypt(token)

    @property
    def is_broken(self) -> bool:
        return bool(self.broken_reason)

    def mark_broken(self, reason: str, *, now=None) -> None:
        self.broken_reason = reason[:64]
        self.broken_at = now or timezone.now()
        self.save(update_fields=["broken_reason", "broken_at", "updated_at"])


def _eight_am():
    return datetime.time(8, 0)


def _four_pm():
    return datetime.time(16, 0)


def _five_pm():
    return datetime.time(17, 0)


class SlackLinkQuerySet(models.QuerySet):
    def working(self):
        """Links whose workspace still accepts our token."""
        return self.filter(workspace__broken_reason="")


class SlackLink(models.Model):
    """A hub user's Slack identity in one workspace, and what they want to receive there."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="slack_link"
    )
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="links")
    slack_user_id = models.CharField(max_length=32)
    # The bot's direct-message conversation with the user (conversations.open), once known.
    dm_channel_id = models.CharField(max_length=32, blank=True)
    # A channel ID chosen in settings instead of the DM; blank means the DM.
    channel_id = models.CharField(max_length=32, blank=True)
    goal_completed = models.BooleanField(default=True)
    goal_off_track = models.BooleanField(default=True)
    # A nudge in the afternoon about the tasks due today that are still open.
    task_reminders = models.BooleanField(default=True)
    task_reminder_time = models.TimeField(default=_four_pm)
    # The reminders set on tasks (lib.notifications, alongside email): a message each.
    reminder_messages = models.BooleanField(default=True)
    daily_plan = models.BooleanField(default=True)
    daily_plan_time = models.TimeField(default=_eight_am)
    weekly_review = models.BooleanField(default=True)
    weekly_review_time = models.TimeField(default=_five_pm)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SlackLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "slack_user_id"], name="slack_link_one_hub_user_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.user} as {self.slack_user_id}"


class Delivery(models.Model):
    """One message to one user: a daily plan, a weekly review, a goal or task notification.

    `key` names the period or event ("2026-12-02", "week-2026-11-30", "goal-<id>", a
    reminder's notification key "reminder:<id>:<moment>"): the unique
    constraint lets any number of beat processes or retried workers try to create it and only
    one succeed, so each is sent once.
    """

    class Kind(models.TextChoices):
        DAILY_PLAN = "daily_plan", _("Daily plan")
        WEEKLY_REVIEW = "weekly_review", _("Weekly review")
        GOAL_COMPLETED = "goal_completed", _("Goal completed")
        GOAL_OFF_TRACK = "goal_off_track", _("Goal falling off track")
        TASK_REMINDER = "task_reminder", _("Task reminder")
        REMINDER = "reminder", _("Reminder set on a task")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("delivery status", "Pending")
        SENT = "sent", pgettext_lazy("delivery status", "Sent")
        FAILED = "failed", pgettext_lazy("delivery status", "Failed")
        SKIPPED = "skipped", _("Nothing to say")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="slack_deliveries"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    key = models.CharField(max_length=100)
    # What to say, for notifications about one object (the goal or task id); empty otherwise.
    subject_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=255, blank=True)
    channel_id = models.CharField(max_length=32, blank=True)
    message_ts = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"], name="slack_delivery_once_per_period"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="pending"),
                name="slack_delivery_pending_idx",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.key} for {self.user_id}"
