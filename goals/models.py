import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone


class Domain(models.TextChoices):
    CAREER = "career", "Career"
    FINANCE = "finance", "Finance"
    HEALTH = "health", "Health"
    LEARNING = "learning", "Learning"
    RELATIONSHIPS = "relationships", "Relationships"
    PERSONAL = "personal", "Personal"
    BUSINESS = "business", "Business"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    ON_HOLD = "on_hold", "On hold"


class GoalQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)

    def active(self):
        return self.filter(status=Status.ACTIVE)


class Goal(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goals"
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    domain = models.CharField(max_length=20, choices=Domain, default=Domain.PERSONAL)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    data = models.JSONField(default=dict, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="goal_progress_range",
                violation_error_message="Progress must be between 0 and 100.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="goal_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(domain__in=Domain.values), name="goal_domain_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status=Status.COMPLETED, completed_at__isnull=False)
                | (~models.Q(status=Status.COMPLETED) & models.Q(completed_at__isnull=True)),
                name="goal_completed_at_matches_status",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="goal_title_not_empty"),
        ]
        indexes = [
            models.Index(fields=["user", "status"], name="goal_user_status_idx"),
            models.Index(fields=["user", "plan"], name="goal_user_plan_idx"),
            models.Index(fields=["user", "domain"], name="goal_user_domain_idx"),
            models.Index(fields=["user", "target_date"], name="goal_user_target_idx"),
            models.Index(fields=["user", "-created_at"], name="goal_user_created_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("goals:detail", args=[self.pk])

    def clean(self):
        if self.user_id and self.plan is not None and self.plan.user_id != self.user_id:
            raise ValidationError({"plan": "Choose one of your own plans."})

    @property
    def is_completed(self):
        return self.status == Status.COMPLETED

    def created_on(self, tzinfo: datetime.tzinfo | None = None) -> datetime.date:
        """The day the goal was created in the owner's zone (`tzinfo`; by default the current
        zone, which a page activates for its signed-in user): where its steady path starts."""
        return timezone.localdate(self.created_at, tzinfo)

    def set_progress(self, value: int, *, now=None):
        """Move progress to `value`; 100 completes the goal, less reopens a completed one."""
        self.progress = value
        if value >= 100:
            self.status = Status.COMPLETED
            self.completed_at = self.completed_at or now or timezone.now()
        elif self.status == Status.COMPLETED:
            self.status = Status.ACTIVE
            self.completed_at = None

    def set_status(self, status: str, *, now=None):
        """Change status keeping `completed_at` (and a completed goal's 100%) consistent."""
        self.status = status
        if status == Status.COMPLETED:
            self.completed_at = self.completed_at or now or timezone.now()
            self.progress = 100
        else:
            self.completed_at = None


class ProgressEntry(models.Model):
    """One entry of a goal's progress log."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress_entries")
    value = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "progress entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=100),
                name="progress_entry_value_range",
                violation_error_message="Progress must be between 0 and 100.",
            ),
        ]
        indexes = [models.Index(fields=["goal", "-created_at"], name="progress_goal_created_idx")]

    def __str__(self):
        return f"{self.goal}: {self.value}%"
