import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .storage import get_report_storage


class Kind(models.TextChoices):
    PLAN_REPORT = "pdp_report", "Plan report"  # the value is the API contract's `kind`
    ANALYTICS_EXPORT = "analytics_export", "Analytics export"


class Format(models.TextChoices):
    PDF = "pdf", "PDF"
    CSV = "csv", "CSV (ZIP of one file per table)"


class Status(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


FINISHED = (Status.READY, Status.FAILED)
PENDING = (Status.QUEUED, Status.RUNNING)

# The file each format is stored as: the CSV export is a ZIP of one CSV per table.
EXTENSIONS: dict[str, str] = {Format.PDF: "pdf", Format.CSV: "zip"}
CONTENT_TYPES: dict[str, str] = {Format.PDF: "application/pdf", Format.CSV: "application/zip"}


class InvalidTransition(Exception):
    """A state change the job's current status does not allow (e.g. a ready job started again)."""


def report_upload_to(job: "ReportJob", filename: str) -> str:
    # One fixed name per job: a retried job replaces its own file instead of adding a second.
    # The name is within the private reports storage (`reports.storage`).
    return f"{job.owner_id}/{job.pk}.{EXTENSIONS[job.format]}"


class ReportJobQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user)

    def reusable(self, *, fingerprint, pending_since):
        """Jobs of the same request from the same data (see `data_fingerprint`), newest first:
        ready ones, and those still queued or running since `pending_since` (older ones have
        stalled and will fail)."""
        return self.filter(
            models.Q(status=Status.READY)
            | models.Q(status__in=PENDING, created_at__gte=pending_since),
            fingerprint=fingerprint,
        ).order_by("-created_at")

    def finished_before(self, moment):
        return self.filter(status__in=FINISHED, finished_at__lt=moment)

    def stalled_since(self, moment):
        """Jobs still queued or running although they were created before `moment`."""
        return self.filter(status__in=PENDING, created_at__lt=moment)


class ReportJob(models.Model):
    """One request for a document, the file a worker made for it, or why it could not."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    format = models.CharField(max_length=3, choices=Format)
    # What to render, e.g. {"plan": "<uuid>"} or {"bom": true}; part of the reuse key.
    parameters = models.JSONField(default=dict, blank=True)
    # A digest of the owner's data when the job was requested: equal digests mean the same
    # document, so a ready (or still queued or running) job with the same digest is handed out
    # again instead of rendering another.
    fingerprint = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    file = models.FileField(
        upload_to=report_upload_to, storage=get_report_storage, blank=True, max_length=255
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="report_kind"),
            models.CheckConstraint(
                condition=models.Q(format__in=Format.values), name="report_format"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="report_status"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=Kind.PLAN_REPORT) | models.Q(format=Format.PDF),
                name="report_pdp_is_pdf",
            ),
            # Nothing half-made is served: a ready job has its file, and only a ready job has one.
            models.CheckConstraint(
                condition=(models.Q(status=Status.READY) & ~models.Q(file=""))
                | (~models.Q(status=Status.READY) & models.Q(file="")),
                name="report_ready_has_file",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=Status.FAILED) | ~models.Q(error=""),
                name="report_failed_has_error",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=FINISHED, finished_at__isnull=False)
                | (~models.Q(status__in=FINISHED) & models.Q(finished_at__isnull=True)),
                name="report_finished_at_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="report_owner_created_idx"),
            models.Index(
                fields=["owner", "fingerprint"],
                condition=~models.Q(status=Status.FAILED),
                name="report_reusable_idx",
            ),
            models.Index(fields=["status", "finished_at"], name="report_status_finished_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.format}) · {self.status}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    def get_download_url(self):
        return reverse("reports:download", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in FINISHED

    @property
    def is_ready(self):
        return self.status == Status.READY

    @property
    def content_type(self):
        return CONTENT_TYPES[self.format]

    @property
    def download_name(self):
        """The file name offered to the browser, e.g. `plan-report-2026-03-01.pdf`."""
        stem = "plan-report" if self.kind == Kind.PLAN_REPORT else "analytics-export"
        return f"{stem}-{self.created_at:%Y-%m-%d}.{EXTENSIONS[self.format]}"

    def start(self, *, now=None):
        """Queued → running. A redelivered job (worker lost mid-way) may start again."""
        if self.is_finished:
            raise InvalidTransition(f"A {self.status} job cannot start.")
        self.status = Status.RUNNING
        self.started_at = now or timezone.now()
        self.save(update_fields=["status", "started_at"])

    def mark_ready(self, *, now=None):
        """Running → ready, once the file is stored under `file`."""
        if self.status != Status.RUNNING or not self.file:
            raise InvalidTransition("Only a running job with a stored file can become ready.")
        self.status = Status.READY
        self.error = ""
        self.finished_at = now or timezone.now()
        self.save(update_fields=["status", "file", "error", "finished_at"])

    def mark_failed(self, message: str, *, now=None):
        """Queued or running → failed, saying why. A ready job stays ready."""
        if self.is_finished:
            raise InvalidTransition(f"A {self.status} job cannot fail.")
        self.status = Status.FAILED
        self.error = message
        self.file = ""
        self.finished_at = now or timezone.now()
        self.save(update_fields=["status", "error", "file", "finished_at"])
