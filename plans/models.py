import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Avg, Count, Value
from django.db.models.functions import Coalesce, Round
from django.urls import reverse
from django.utils import timezone


class PlanQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)

    def with_progress(self):
        """Annotate `progress` (mean of the goals' progress, 0 without goals) and `goal_count`."""
        return self.annotate(
            goal_count=Count("goals", distinct=True),
            progress=Coalesce(Round(Avg("goals__progress")), Value(0.0)),
        )


class Plan(models.Model):
    """A Personal Development Plan: the frame that holds a person's goals."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plans"
    )
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    vision = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="plan_end_after_start",
                violation_error_message="The end date may not precede the start date.",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="plan_title_not_empty"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="plan_user_created_idx"),
            models.Index(fields=["user", "title"], name="plan_user_title_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.pk])

    def clean(self):
        # The check constraint guards the table; this names the field, so forms and the API
        # report the error on `end_date` rather than as a non-field error.
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date may not precede the start date."})
