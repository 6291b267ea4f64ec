import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

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

    def reusable(self, *, fingerprint, now):
        """Jobs of the same request from the same data (see `data_fingerprint`), newest first:
        ready ones, and those queued or running whose lease still holds at `now` (an expired
        one lost its worker or its message; `recover_expired_jobs` retries or fails it)."""
        return self.filter(
            models.Q(status=Status.READY) | models.Q(status__in=PENDING, lease_expires_at__gte=now),
            fingerprint=fingerprint,
        ).order_by("-created_at")

    def finished_before(self, moment):
        return self.filter(status__in=FINISHED, finished_at__lt=moment)

    def lease_expired(self, now):
        """Jobs still queued or running whose lease ran out before `now`."""
        return self.filter(
            models.Q(lease_expires_at__lt=now) | models.Q(lease_expires_at__isnull=True),
            status__in=PENDING,
        )

    def claim(self, pk, *, now, lease: timedelta) -> bool:
        """Start the job `pk` for this worker, if no other holds it: queued, or running with an
        expired lease (its worker died). One UPDATE, so of two deliveries only one wins."""
        claimable = models.Q(status=Status.QUEUED) | models.Q(
            status=Status.RUNNING, lease_expires_at__lt=now
        )
        return bool(
            self.filter(claimable, pk=pk).update(
                status=Status.RUNNING, started_at=now, lease_expires_at=now + lease
            )
        )


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
    # Until when the job's current holder -- the queue, then the worker running it -- is
    # trusted to finish it. Past it the job is retried (or failed after `attempts` deliveries).
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=1)  # messages sent to the workers

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
            models.Index(
                fields=["lease_expires_at"],
                condition=models.Q(status__in=PENDING),
                name="report_pending_lease_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.format}) · {self.status}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    def get_download_url(self):
        return reverse("reports:download", args=[self.pk])

    @property
    def title(self) -> str:
        """What the lists call it: "Plan report — Career 2027" (the selectors' `plan_title`)."""
        plan_title = getattr(self, "plan_title", None)
        if self.kind == Kind.PLAN_REPORT and plan_title:
            return gettext("Plan report — %(plan)s") % {"plan": plan_title}
        return self.get_kind_display()

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

    def start(self, *, lease: timedelta | None = None, now=None):
        """Queued → running, held for `lease` (REPORT_JOB_LEASE_SECONDS). A redelivered job
        (worker lost mid-way) may start again."""
        if self.is_finished:
            raise InvalidTransition(f"A {self.status} job cannot start.")
        lease = lease or timedelta(seconds=settings.REPORT_JOB_LEASE_SECONDS)
        self.status = Status.RUNNING
        self.started_at = now or timezone.now()
        self.lease_expires_at = self.started_at + lease
        self.save(update_fields=["status", "started_at", "lease_expires_at"])

    def requeue(self, *, lease: timedelta, now=None):
        """Queued or running → queued again, for another delivery held for `lease`."""
        if self.is_finished:
            raise InvalidTransition(f"A {self.status} job cannot be queued again.")
        self.status = Status.QUEUED
        self.started_at = None
        self.attempts += 1
        self.lease_expires_at = (now or timezone.now()) + lease
        self.save(update_fields=["status", "started_at", "attempts", "lease_expires_at"])

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
