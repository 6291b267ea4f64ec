import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.encryption import decrypt, encrypt

REVOKED_MESSAGE = _("GitHub no longer accepts our access: reconnect GitHub to keep syncing.")


def new_webhook_secret() -> str:
    return encrypt(secrets.token_hex(32))


class Connection(models.Model):
    """A user's GitHub authorization for the integration (apart from GitHub sign-in).

    The access token and the user's own webhook secret are stored encrypted
    (accounts.encryption, ENCRYPTION_KEYS). Disconnecting deletes the row, and so the token.
    """

    class State(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        RECONNECT = "reconnect", _("Reconnect needed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="github_connection"
    )
    github_id = models.BigIntegerField()
    login = models.CharField(max_length=100)
    encrypted_token = models.TextField()
    scopes = models.CharField(max_length=255, blank=True)
    encrypted_webhook_secret = models.TextField(default=new_webhook_secret)
    state = models.CharField(max_length=10, choices=State, default=State.CONNECTED)
    # What to import besides the issues and pull requests assigned to the user.
    import_authored = models.BooleanField(
        default=False, help_text=_("Also import the ones you opened.")
    )
    import_label = models.CharField(
        max_length=100, blank=True, help_text=_("Only import the ones with this label.")
    )
    last_sync_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    connected_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["connected", "reconnect"]),
                name="github_connection_state",
            )
        ]

    def __str__(self):
        return f"{self.login} ({self.state})"

    @property
    def token(self) -> str:
        return decrypt(self.encrypted_token)

    @property
    def webhook_secret(self) -> str:
        return decrypt(self.encrypted_webhook_secret)

    @property
    def needs_reconnect(self) -> bool:
        return self.state == self.State.RECONNECT

    def set_token(self, token: str, *, scopes: str) -> None:
        self.encrypted_token = encrypt(token)
        self.scopes = scopes
        self.state = self.State.CONNECTED
        self.last_error = ""

    def mark_revoked(self) -> None:
        self.state = self.State.RECONNECT
        self.last_error = str(REVOKED_MESSAGE)
        self.save(update_fields=["state", "last_error", "updated_at"])

    def record_sync(self, *, error: str = "", now=None) -> None:
        """A sync finished; `error` says what it could not read, if anything."""
        self.last_sync_at = now or timezone.now()
        self.last_error = error
        self.save(update_fields=["last_sync_at", "last_error", "updated_at"])

    def record_error(self, message: str) -> None:
        self.last_error = message
        self.save(update_fields=["last_error", "updated_at"])


class RepositoryQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)

    def selected(self):
        return self.filter(selected=True)


class Repository(models.Model):
    """A repository the user can read on GitHub; `selected` ones are imported from."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="github_repositories"
    )
    github_id = models.BigIntegerField()
    full_name = models.CharField(max_length=255)
    html_url = models.URLField(max_length=500)
    private = models.BooleanField(default=False)
    selected = models.BooleanField(default=False)
    # Per query ("assigned", "authored"): the ETag and newest `updated_at` of the last complete
    # pass, and while a pass runs, where it has got to (`next`), so a retry resumes there.
    sync_state = models.JSONField(default=dict, blank=True)

    objects = RepositoryQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "repositories"
        constraints = [
            models.UniqueConstraint(fields=["user", "github_id"], name="github_repo_unique"),
        ]
        indexes = [
            models.Index(fields=["github_id"], name="github_repo_github_id_idx"),
        ]

    def __str__(self):
        return self.full_name


class GoalMapping(models.Model):
    """Issues with this label (or in this milestone) go to this goal."""

    class Kind(models.TextChoices):
        LABEL = "label", _("Label")
        MILESTONE = "milestone", _("Milestone")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="github_goal_mappings"
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.LABEL)
    name = models.CharField(max_length=255)
    goal = models.ForeignKey("goals.Goal", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint("user", "kind", Lower("name"), name="github_mapping_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["label", "milestone"]), name="github_mapping_kind"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="github_mapping_name"),
        ]

    def __str__(self):
        return f"{self.kind} {self.name} → {self.goal_id}"


class ItemQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)


class Item(models.Model):
    """An issue or pull request imported as a task: the link between the two, both ways."""

    class Kind(models.TextChoices):
        ISSUE = "issue", _("Issue")
        PULL = "pull", _("Pull request")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("GitHub item state", "Open")
        CLOSED = "closed", _("Closed")
        MERGED = "merged", _("Merged")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="github_items"
    )
    task = models.OneToOneField("tasks.Task", on_delete=models.CASCADE, related_name="github_item")
    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=5, choices=Kind)
    title = models.CharField(max_length=255)
    html_url = models.URLField(max_length=500)
    state = models.CharField(max_length=6, choices=State, default=State.OPEN)
    # False once the user is no longer among the assignees: the task stays, marked so.
    assigned = models.BooleanField(default=True)
    github_updated_at = models.DateTimeField()
    merged_at = models.DateTimeField(null=True, blank=True)
    # Set when the merge's check-in (evidence on the task's goal) is written: only once.
    evidence_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["repository", "-number"]
        constraints = [
            # One task per issue or pull request of a repository: a second sync never duplicates.
            models.UniqueConstraint(
                fields=["user", "repository", "number"], name="github_item_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["issue", "pull"]), name="github_item_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "closed", "merged"]),
                name="github_item_state",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "kind", "state"], name="github_item_user_state_idx"),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.repository.full_name}#{self.number}"


class Delivery(models.Model):
    """A webhook delivery: kept to refuse a replay of its id, and worked on by a task."""

    delivery_id = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=50)
    payload = models.JSONField()
    # Signed with this user's own secret: only their links are touched. Null: the shared secret.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [models.Index(fields=["received_at"], name="github_delivery_received_idx")]

    def __str__(self):
        return f"{self.event} {self.delivery_id}"


class SyncStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("sync status", "Queued")
    RUNNING = "running", pgettext_lazy("sync status", "Running")
    READY = "ready", pgettext_lazy("sync status", "Finished")
    FAILED = "failed", pgettext_lazy("sync status", "Failed")


class SyncRunQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)

    def pending(self):
        return self.filter(status__in=[SyncStatus.QUEUED, SyncStatus.RUNNING])


class SyncRun(models.Model):
    """One sync job: on connect, on demand or periodic; polled through the API like a report."""

    class Trigger(models.TextChoices):
        CONNECT = "connect", _("On connect")
        MANUAL = "manual", _("On demand")
        PERIODIC = "periodic", _("Periodic")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="github_syncs"
    )
    trigger = models.CharField(max_length=10, choices=Trigger)
    status = models.CharField(max_length=10, choices=SyncStatus, default=SyncStatus.QUEUED)
    imported = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = SyncRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=SyncStatus.values), name="github_sync_status"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"], name="github_sync_user_status_idx"),
            models.Index(fields=["user", "-created_at"], name="github_sync_user_created_idx"),
        ]

    def __str__(self):
        return f"GitHub sync {self.status}"

    def get_absolute_url(self):
        return reverse("api-github-sync-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (SyncStatus.READY, SyncStatus.FAILED)

    def start(self, *, now=None) -> None:
        self.status = SyncStatus.RUNNING
        self.started_at = self.started_at or now or timezone.now()
        self.save(update_fields=["status", "started_at"])

    def count(self, *, imported: int, updated: int) -> None:
        self.imported += imported
        self.updated += updated
        self.save(update_fields=["imported", "updated"])

    def finish(self, *, now=None) -> None:
        self.status = SyncStatus.READY
        self.error = ""
        self.finished_at = now or timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])

    def fail(self, message: str, *, now=None) -> None:
        self.status = SyncStatus.FAILED
        self.error = message
        self.finished_at = now or timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])
