import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# App passwords are 20 random letters and digits (about 103 bits), shown in groups of four so
# they can be typed on a phone; dashes, spaces and letter case do not matter when checked.
# No l/1 or o/0 look-alikes.
APP_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # noqa: S105 - not a password
APP_PASSWORD_GROUPS = 5


def secret_digest(secret: str) -> str:
    """The stored form of a feed token or app password.

    Both are long random strings, not something a person chose, so one SHA-256 is enough to
    keep a leaked table useless, and lets a request be matched with one indexed lookup.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_app_password(password: str) -> str:
    return "".join(password.split()).replace("-", "").lower()


class Feed(models.Model):
    """A user's calendar subscription: the secret token of its URL and what goes in it.

    Only the token's digest is kept; the token itself is shown on the settings page, so it is
    also stored encrypted. Revoking clears both and keeps the options.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_digest = models.CharField(max_length=64, null=True, blank=True, unique=True)
    token_encrypted = models.TextField(blank=True)
    include_completed = models.BooleanField(
        default=False, help_text=_("Also show tasks you have completed.")
    )
    include_goal_dates = models.BooleanField(
        default=True, help_text=_("Show goals' target dates as all-day events.")
    )
    include_plan_dates = models.BooleanField(
        default=True, help_text=_("Show the day each plan ends, when it is time to review it.")
    )
    include_tasks_without_goal = models.BooleanField(
        default=True, help_text=_("When you pick goals, also show the tasks that have no goal.")
    )
    goals = models.ManyToManyField(
        "goals.Goal",
        blank=True,
        related_name="+",
        help_text=_("Only these goals and their tasks (none picked: everything)."),
    )
    labels = models.ManyToManyField(
        "tasks.Label",
        blank=True,
        related_name="+",
        help_text=_("Only the tasks with one of these labels (none picked: any task)."),
    )
    # The digest of the last body served and when it changed: the feed's ETag and
    # Last-Modified, exact even when an item was deleted.
    body_etag = models.CharField(max_length=64, blank=True)
    body_changed_at = models.DateTimeField(null=True, blank=True)
    last_accessed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"

    @property
    def is_active(self) -> bool:
        return self.token_digest is not None

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class AppPasswordQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)


class AppPassword(models.Model):
    """A per-device password for CalDAV over HTTP Basic; only its digest is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="app_passwords"
    )
    name = models.CharField(max_length=100, help_text=_("The device, such as “iPhone”."))
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_user_agent = models.CharField(max_length=255, blank=True)

    objects = AppPasswordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="app_password_name_set"),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="app_password_user_idx")]

    def __str__(self):
        return f"{self.name} ({self.user})"

    @staticmethod
    def new_password() -> str:
        groups = (
            "".join(secrets.choice(APP_PASSWORD_ALPHABET) for _ in range(4))
            for _ in range(APP_PASSWORD_GROUPS)
        )
        return "-".join(groups)


class TaskResource(models.Model):
    """The name and UID a CalDAV client gave a task it created.

    A task made in the app is `<id>.ics` with the UID `<id>@bakhmach`; a client picks its own
    for the tasks it creates and expects to find them under those again.
    """

    task = models.OneToOneField(
        "tasks.Task", on_delete=models.CASCADE, primary_key=True, related_name="caldav_resource"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    uid = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="task_resource_name_unique"),
            models.UniqueConstraint(fields=["user", "uid"], name="task_resource_uid_unique"),
        ]

    def __str__(self):
        return self.name


class SyncState(models.Model):
    """What a CalDAV sync token stood for: every resource name of the collection with its ETag.

    A `sync-collection` report diffs the state of the client's token with the current one, so
    changes made anywhere (web, API, admin, a deleted goal) show up without any hook in the
    tasks app. The token is the digest of the state; the newest few per user are kept.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    etags = models.JSONField(default=dict)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "digest"], name="sync_state_digest_unique"),
        ]
        indexes = [models.Index(fields=["user", "-seen_at"], name="sync_state_user_seen_idx")]

    def __str__(self):
        return self.digest


class TimeBlock(models.Model):
    """How long the time set aside for a task lasts. It starts at the task's due date and time
    (the tasks app's fields); without a block, a task with a due time takes the default."""

    MINUTES_MIN, MINUTES_MAX = 5, 12 * 60

    task = models.OneToOneField(
        "tasks.Task", on_delete=models.CASCADE, primary_key=True, related_name="time_block"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    minutes = models.PositiveSmallIntegerField(
        default=30, validators=[MinValueValidator(MINUTES_MIN), MaxValueValidator(MINUTES_MAX)]
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=5, minutes__lte=12 * 60),
                name="time_block_minutes_range",
            ),
        ]

    def __str__(self):
        return f"{self.task} ({self.minutes} min)"


class DeletedTask(models.Model):
    """A task a CalDAV client deleted, kept as `tasks.undo` snapshots it, so the web can undo
    the deletion: the user's next page says what went, with an Undo button (the tasks' own).
    Handed to the web session once shown; rows never shown are forgotten after a while."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=255)
    device = models.CharField(max_length=100, blank=True)
    state = models.JSONField()
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "deleted_at"], name="deleted_task_user_idx")]

    def __str__(self):
        return self.title
