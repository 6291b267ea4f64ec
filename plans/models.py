import calendar
import datetime
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Avg, Count, Value
from django.db.models.functions import Coalesce, Round
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.limits import validate_json_size, validate_text_size


class ReviewCadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


CADENCE_MONTHS: dict[str, int] = {ReviewCadence.MONTHLY: 1, ReviewCadence.QUARTERLY: 3}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day if shorter (Jan 31 -> Feb 28)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class PlanQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)

    def with_last_review(self):
        """Annotate `last_review_at`: when the plan was last reviewed (or null)."""
        latest = PlanReview.objects.filter(plan=models.OuterRef("pk")).order_by("-created_at")
        return self.annotate(last_review_at=models.Subquery(latest.values("created_at")[:1]))

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
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plans",
        verbose_name=_("user"),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True, validators=[validate_text_size])
    vision = models.TextField(_("vision"), blank=True, validators=[validate_text_size])
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True, validators=[validate_json_size])
    review_cadence = models.CharField(
        _("review cadence"), max_length=10, choices=ReviewCadence, default=ReviewCadence.MONTHLY
    )
    # The secret of the read-only share link; null when the plan is not shared.
    share_token = models.CharField(
        _("share token"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="plan_end_after_start",
                violation_error_message=_("The end date may not precede the start date."),
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="plan_title_not_empty"),
            models.CheckConstraint(
                condition=models.Q(review_cadence__in=ReviewCadence.values),
                name="plan_review_cadence_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(share_token__isnull=True, shared_at__isnull=True)
                | models.Q(share_token__isnull=False, shared_at__isnull=False),
                name="plan_shared_at_matches_token",
            ),
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
            raise ValidationError({"end_date": _("The end date may not precede the start date.")})

    def next_review(self) -> datetime.date:
        """When the next review is due, from the `last_review_at` the selectors annotate."""
        return self.next_review_date(getattr(self, "last_review_at", None))

    def next_review_date(self, last_review_at: datetime.datetime | None, tzinfo=None):
        """When the next review is due: one cadence after the last review, or after the plan
        started (or was created) when it has none."""
        if last_review_at is not None:
            since = timezone.localdate(last_review_at, tzinfo)
        else:
            since = self.start_date or timezone.localdate(self.created_at, tzinfo)
        return add_months(since, CADENCE_MONTHS[self.review_cadence])

    @property
    def is_shared(self) -> bool:
        return self.share_token is not None

    def share(self, *, now=None) -> None:
        """Give the plan a new secret share link (any previous link stops working)."""
        self.share_token = secrets.token_urlsafe(32)
        self.shared_at = now or timezone.now()

    def unshare(self) -> None:
        self.share_token = None
        self.shared_at = None

    def get_share_url(self) -> str:
        return reverse("plans:shared", args=[self.share_token]) if self.share_token else ""


class PlanReview(models.Model):
    """A dated review of a plan: every goal's progress and status as they were, and the
    owner's reflection. Written once, never changed: later changes to goals leave it alone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="reviews"
    )
    went_well = models.TextField(_("went well"), blank=True, validators=[validate_text_size])
    went_badly = models.TextField(_("went badly"), blank=True, validators=[validate_text_size])
    next = models.TextField(_("what next"), blank=True, validators=[validate_text_size])
    # [{goal, title, domain, measure, progress, status, current_value, unit}, ...] at the time.
    goals = models.JSONField(_("goals"), default=list, editable=False)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["plan", "-created_at"], name="plan_review_created_idx")]

    def __str__(self):
        return f"{self.plan}: review of {self.created_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A plan review is a snapshot: it cannot be changed once written.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plans:review", args=[self.plan_id, self.pk])
