import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PREVIEW = "preview", _("Waiting for your go-ahead")
    QUEUED = "queued", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed: nothing imported")


class ImportJobQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)


class ImportJob(models.Model):
    """One uploaded file: its parsed rows (the preview), then the import and what it made."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    filename = models.CharField(max_length=255)
    format = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=Status, default=Status.PREVIEW)
    # imports.parsers.Row.to_json() of every row; the import writes exactly what was previewed.
    rows = models.JSONField(default=list, blank=True)
    # {"tasks": n, "subtasks": n, "goals": [names created], "labels": [names created]}
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="import_user_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="import_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("imports:detail", args=[self.pk])

    @property
    def is_pending(self):
        return self.status == Status.QUEUED
