import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Avg, Count, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from lib import charts

from . import measures


class Domain(models.TextChoices):
    CAREER = "career", _("Career")
    FINANCE = "finance", _("Finance")
    HEALTH = "health", _("Health")
    LEARNING = "learning", _("Learning")
    RELATIONSHIPS = "relationships", _("Relationships")
    PERSONAL = "personal", _("Personal")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    ON_HOLD = "on_hold", _("On hold")


class Measure(models.TextChoices):
    MANUAL = "manual", _("Manual percentage")
    METRIC = "metric", _("A metric")
    KEY_RESULTS = "key_results", _("Key results")
    TASKS = "tasks", _("Its tasks")


class Direction(models.TextChoices):
    UP = "up", _("Up (more is better)")
    DOWN = "down", _("Down (less is better)")


class CheckInStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


class Source(models.TextChoices):
    """Where a check-in came from: typed by its owner, or evidence written by the app."""

    MANUAL = "manual", _("Check-in")
    TASK = "task", _("Completed task")
    GITHUB = "github", "GitHub"
    SLACK = "slack", "Slack"


# Offered as suggestions; a unit is free text ("laps", "chapters").
UNIT_SUGGESTIONS = ["count", "km", "kg", "€", "₴", "$", "hours", "pages", "%"]
# Written before the number: € 300.
CURRENCIES = {"€", "$", "₴", "£"}
METRIC_DIGITS, METRIC_DECIMALS = 14, 2


def metric_field(**kwargs):
    return models.DecimalField(
        max_digits=METRIC_DIGITS, decimal_places=METRIC_DECIMALS, null=True, blank=True, **kwargs
    )


class Metric(models.Model):
    """A measured quantity going from a start value to a target, up or down."""

    unit = models.CharField(_("unit"), max_length=20, blank=True)
    direction = models.CharField(
        _("direction"), max_length=4, choices=Direction, default=Direction.UP
    )
    start_value = metric_field(verbose_name=_("start value"))
    target_value = metric_field(verbose_name=_("target value"))
    current_value = metric_field(verbose_name=_("current value"))

    class Meta:
        abstract = True

    def metric_progress(self) -> int:
        return measures.metric_progress(self.start_value, self.target_value, self.current_value)

    def metric_errors(self) -> dict:
        """What keeps these values from measuring anything, by field."""
        errors = {}
        if self.start_value is None:
            errors["start_value"] = _("Give the value you start from.")
        if self.target_value is None:
            errors["target_value"] = _("Give the value you aim for.")
        if errors:
            return errors
        if self.direction == Direction.UP and self.target_value <= self.start_value:
            errors["target_value"] = _("Going up, the target must be above the start value.")
        elif self.direction == Direction.DOWN and self.target_value >= self.start_value:
            errors["target_value"] = _("Going down, the target must be below the start value.")
        return errors

    @property
    def format_start(self) -> str:
        return self.format_value(self.start_value)

    @property
    def format_current(self) -> str:
        """`5.3 km of 21.1 km` ("5,3 км з 21,1 км")."""
        return _("%(current)s of %(target)s") % {
            "current": self.format_value(self.current_value),
            "target": self.format_value(self.target_value),
        }

    def format_value(self, value: Decimal | None) -> str:
        """`12.5 km`, `€ 300` — a value with its unit, without trailing zeros, in the active
        language's number format."""
        if value is None:
            return "—"
        number = f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
        number = number.rstrip("0").rstrip(".") if "." in number else number
        number = formats.number_format(Decimal(number))  # "21,1" in Ukrainian
        if not self.unit:
            return number
        return f"{self.unit} {number}" if self.unit in CURRENCIES else f"{number} {self.unit}"


class GoalQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)

    def active(self):
        return self.filter(status=Status.ACTIVE)

    def balance(self) -> list[tuple[str, int | None, int]]:
        """The balance wheel's figures: per life domain (every one, in order) the mean
        progress of these goals (None without goals) and the effort put in: their tasks
        completed plus their check-ins (evidence of a task counts once, as the task).
        Three queries, whatever the number of goals."""
        goals = self.order_by().values("domain")
        progress = {
            row["domain"]: row["progress"] for row in goals.annotate(progress=Avg("progress"))
        }
        done = dict(
            goals.filter(tasks__completed_at__isnull=False)
            .annotate(count=Count("tasks"))
            .values_list("domain", "count")
        )
        checked = dict(
            goals.annotate(
                count=Count("progress_entries", filter=~Q(progress_entries__source=Source.TASK))
            ).values_list("domain", "count")
        )
        return [
            (
                str(label),
                None if domain not in progress else round(progress[domain]),
                done.get(domain, 0) + checked.get(domain, 0),
            )
            for domain, label in Domain.choices
        ]

    def balance_wheel(self, *, title: str, chart_id: str | None = None):
        """The balance wheel of these goals as SVG: the one drawing the plan page, the
        analytics page, the shared page and the PDFs show."""
        return charts.balance_wheel(self.balance(), title=title, chart_id=chart_id)


class Goal(Metric):
    """A goal of a plan; its progress is typed by hand or derived from how it measures itself."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="goals",
        verbose_name=_("user"),
    )
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("plan"),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    domain = models.CharField(_("domain"), max_length=20, choices=Domain, default=Domain.PERSONAL)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure, default=Measure.MANUAL)
    # Derived (unless `measure` is manual) and stored, so lists read it without joins.
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    # The owner's explicit choice to keep the target date outside the plan's dates.
    target_outside_plan = models.BooleanField(
        _("target outside plan"),
        default=False,
        help_text=_("Keep a target date outside the plan's dates (the plan shows a warning)."),
    )
    data = models.JSONField(_("data"), default=dict, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="goal_progress_range",
                violation_error_message=_("Progress must be between 0 and 100."),
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
            models.CheckConstraint(
                condition=models.Q(measure__in=Measure.values), name="goal_measure_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=Direction.values), name="goal_direction_valid"
            ),
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
            raise ValidationError({"plan": _("Choose one of your own plans.")})
        errors = self.metric_errors() if self.measure == Measure.METRIC else {}
        if message := self.date_rule_error():
            errors["target_date"] = message
        if errors:
            raise ValidationError(errors)

    @property
    def is_completed(self):
        return self.status == Status.COMPLETED

    def created_on(self, tzinfo: datetime.tzinfo | None = None) -> datetime.date:
        """The day the goal was created in the owner's zone (`tzinfo`; by default the current
        zone, which a page activates for its signed-in user): where its steady path starts."""
        return timezone.localdate(self.created_at, tzinfo)

    @property
    def is_derived(self) -> bool:
        """Progress comes from evidence (metric, key results, tasks), not typed by hand."""
        return self.measure != Measure.MANUAL

    @property
    def measure_summary(self) -> str:
        """How the goal measures itself, in a few words, for lists ("5.3 km of 21.1 km")."""
        if self.measure == Measure.METRIC:
            return self.format_current
        if self.measure == Measure.MANUAL:
            return ""
        return _("Measured by %(measure)s") % {"measure": self.get_measure_display().lower()}

    @property
    def public_tasks(self) -> list:
        """The goal's tasks that a shared page may show: never the private ones."""
        return [task for task in self.tasks.all() if not task.private]

    @property
    def measuring_key_results(self) -> list["KeyResult"]:
        """The key results that measure the goal: none unless it is measured by them."""
        return list(self.key_results.all()) if self.measure == Measure.KEY_RESULTS else []

    def target_outside_plan_dates(self) -> str:
        """Why the target date lies outside the plan's dates ("" when it does not)."""
        plan = self.plan if self.plan_id else None
        if plan is None or self.target_date is None:
            return ""
        if plan.end_date and self.target_date > plan.end_date:
            return _("The target date is after the plan ends (%(date)s).") % {
                "date": formats.date_format(plan.end_date)
            }
        if plan.start_date and self.target_date < plan.start_date:
            return _("The target date is before the plan starts (%(date)s).") % {
                "date": formats.date_format(plan.start_date)
            }
        return ""

    def date_rule_error(self) -> str:
        """The date rule: a target outside the plan's dates, unless explicitly kept there."""
        if self.target_outside_plan:
            return ""
        message = self.target_outside_plan_dates()
        return (
            _("%(message)s Move it inside the plan, or keep it there on purpose.")
            % {"message": message}
            if message
            else ""
        )

    def derive_progress(self, *, key_results=None, task_points=(0, 0)) -> int:
        """The goal's progress from how it measures itself: the one definition.

        `key_results` are the goal's key results (for `key_results`), `task_points` the
        `(done, total)` points of its tasks (for `tasks`); a manual goal keeps its value.
        """
        if self.measure == Measure.METRIC:
            return self.metric_progress()
        if self.measure == Measure.KEY_RESULTS:
            return measures.weighted_progress(
                (result.progress, result.weight) for result in key_results or ()
            )
        if self.measure == Measure.TASKS:
            return measures.tasks_progress(*task_points)
        return self.progress

    def explain_progress(self, key_results=None) -> str:
        """How the progress was computed, in words (the API's `progress_basis`)."""
        if self.measure == Measure.METRIC:
            return _("%(current)s on the way from %(start)s to %(target)s.") % {
                "current": self.format_value(self.current_value),
                "start": self.format_value(self.start_value),
                "target": self.format_value(self.target_value),
            }
        if self.measure == Measure.KEY_RESULTS:
            results = list(key_results if key_results is not None else self.key_results.all())
            return ngettext(
                "The weighted mean of %(count)d key result.",
                "The weighted mean of %(count)d key results.",
                len(results),
            ) % {"count": len(results)}
        if self.measure == Measure.TASKS:
            return gettext("The share of its tasks done, each weighing 6 - priority.")
        return gettext("Typed in by hand.")

    def latest_check_in(self) -> "ProgressEntry | None":
        return self.progress_entries.order_by("-created_at", "-pk").first()

    def snapshot(self) -> dict:
        """The goal as a plan review keeps it: plain values that later changes never alter."""
        return {
            "goal": str(self.pk),
            "title": self.title,
            "domain": self.domain,
            "measure": self.measure,
            "progress": self.progress,
            "status": self.status,
            "status_label": self.get_status_display(),
            "current": self.format_value(self.current_value)
            if self.measure == Measure.METRIC
            else "",
        }

    def move_progress(self, value: int, *, now=None) -> None:
        """Move progress to `value`. Reaching 100 completes the goal; dropping below 100
        reopens a completed one. A goal reopened at 100 stays open until it next reaches it."""
        before, self.progress = self.progress, value
        if value >= 100 > before and self.status != Status.COMPLETED:
            self.status = Status.COMPLETED
            self.completed_at = now or timezone.now()
        elif value < 100 <= before and self.status == Status.COMPLETED:
            self.reopen()

    def reopen(self) -> None:
        self.status = Status.ACTIVE
        self.completed_at = None

    def set_status(self, status: str, *, now=None):
        """Change status keeping `completed_at` (and a completed manual goal's 100%) consistent."""
        self.status = status
        if status == Status.COMPLETED:
            self.completed_at = self.completed_at or now or timezone.now()
            if self.measure == Measure.MANUAL:
                self.progress = 100
        else:
            self.completed_at = None


class KeyResult(Metric):
    """One measurable result of a goal measured by key results; the goal's progress is the
    weighted mean of theirs."""

    MAX_PER_GOAL = 5

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="key_results"
    )
    title = models.CharField(_("title"), max_length=255)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("key result")
        verbose_name_plural = _("key results")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=10),
                name="key_result_weight_range",
                violation_error_message=_("The weight must be between 1 and 10."),
            ),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="key_result_progress_range",
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=Direction.values),
                name="key_result_direction_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(start_value__isnull=False, target_value__isnull=False)
                & ~models.Q(start_value=models.F("target_value")),
                name="key_result_measures_something",
            ),
            models.CheckConstraint(
                condition=~models.Q(title=""), name="key_result_title_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["goal", "created_at"], name="key_result_goal_idx")]

    def __str__(self):
        return self.title

    def clean(self):
        if errors := self.metric_errors():
            raise ValidationError(errors)

    def derive_progress(self) -> int:
        return self.metric_progress()


class ProgressEntry(models.Model):
    """A check-in: where a goal (or one of its key results) stood at a moment, and why.

    `value` is the goal's progress right after it, 0-100 (the history charts draw it): typed
    by hand for a manual goal, derived from `metric_value` otherwise. Evidence names where
    it came from (`source`, `source_ref`: a task's id, a pull request's URL, a Slack message)
    and may link to it (`evidence_url`).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="progress_entries"
    )
    key_result = models.ForeignKey(
        KeyResult,
        verbose_name=_("key result"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="check_ins",
    )
    value = models.PositiveSmallIntegerField(_("value"), validators=[MaxValueValidator(100)])
    metric_value = metric_field()
    status = models.CharField(_("status"), max_length=10, choices=CheckInStatus, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.MANUAL)
    source_ref = models.CharField(_("source reference"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0, value__lte=100),
                name="progress_entry_value_range",
                violation_error_message=_("Progress must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["", *CheckInStatus.values]),
                name="progress_entry_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=Source.values), name="progress_entry_source_valid"
            ),
            # The same evidence (a pull request delivered twice) is one check-in.
            models.UniqueConstraint(
                fields=["goal", "source", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="progress_entry_evidence_once",
            ),
        ]
        indexes = [models.Index(fields=["goal", "-created_at"], name="progress_goal_created_idx")]

    def __str__(self):
        return f"{self.goal}: {self.value}%"

    @property
    def is_evidence(self) -> bool:
        """Written by the app from something that happened (a task done, a pull request)."""
        return self.source != Source.MANUAL

    def describe_value(self) -> str:
        """What this check-in recorded, in the unit of what it measured."""
        if self.metric_value is None:
            return f"{self.value}%"
        measured: Metric = self.key_result or self.goal
        return measured.format_value(self.metric_value)
