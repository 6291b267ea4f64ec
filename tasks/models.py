import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.calendar import UserCalendar
from lib.limits import validate_text_size

from . import recurrence


class TaskQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)

    def open(self):
        return self.filter(completed_at__isnull=True)

    def completed(self):
        return self.filter(completed_at__isnull=False)

    def overdue(self, today):
        return self.filter(Task.overdue_q(today))

    def with_overdue(self, today):
        """Annotate `overdue` (`Task.overdue_q(today)`), which a task's row shows."""
        return self.annotate(
            overdue=models.ExpressionWrapper(
                Task.overdue_q(today), output_field=models.BooleanField()
            )
        )

    def with_details(self):
        """With what a task's row and its API answer show: labels and reminders (two queries
        for any number of tasks) and the checklist's `subtasks_total` and `subtasks_done`."""
        return self.prefetch_related("labels", "reminders").with_checklist_counts()

    def with_checklist_counts(self):
        """Annotate `subtasks_total` and `subtasks_done`, counted in the tasks' query."""
        subtasks = Subtask.objects.filter(task=models.OuterRef("pk")).order_by().values("task")
        count = models.Count("pk")
        return self.annotate(
            subtasks_total=Coalesce(models.Subquery(subtasks.annotate(n=count).values("n")), 0),
            subtasks_done=Coalesce(
                models.Subquery(subtasks.filter(done=True).annotate(n=count).values("n")), 0
            ),
        )


class LabelQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)


class Label(models.Model):
    """A user's coloured tag for tasks; names are unique per user in any letter case."""

    DEFAULT_COLOR = "#6b7280"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="labels"
    )
    name = models.CharField(_("name"), max_length=50)
    color = models.CharField(
        max_length=7,
        default=DEFAULT_COLOR,
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}\Z", _("Give a colour as #RRGGBB, such as #2563eb."))
        ],
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = LabelQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(
                "user",
                Lower("name"),
                name="label_user_name_ci_unique",
                violation_error_message=_("You already have a label with this name."),
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="label_name_not_empty"),
        ]

    def __str__(self):
        return self.name


class Task(models.Model):
    class Priority(models.IntegerChoices):
        HIGHEST = 1, _("1 · Highest")
        HIGH = 2, _("2 · High")
        NORMAL = 3, _("3 · Normal")
        LOW = 4, _("4 · Low")
        LOWEST = 5, _("5 · Lowest")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks"
    )
    goal = models.ForeignKey(
        "goals.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("goal"),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True, validators=[validate_text_size])
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority, default=Priority.NORMAL
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # The time of day in the owner's time zone (a date alone is due all day).
    due_time = models.TimeField(null=True, blank=True)
    labels = models.ManyToManyField(Label, blank=True, related_name="tasks")
    # An RFC 5545 RRULE (tasks.recurrence), "" for a one-off task. A recurring task stays open:
    # completing it records a TaskCompletion and moves `due_date` to the next occurrence.
    recurrence = models.CharField(max_length=255, blank=True)
    # The series' DTSTART: the first occurrence of the current rule.
    recurrence_start = models.DateField(null=True, blank=True)
    # Habits: the next date counts from the day of completion, not from the schedule.
    recurs_after_completion = models.BooleanField(default=False)
    # The rule's date of the current occurrence; `due_date` differs when only this occurrence
    # was moved, and the series goes on from this date.
    occurrence_date = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Never shown on a plan's shared, read-only page.
    private = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        # Open tasks first, soonest due first (undated last), then by priority; the same order
        # on PostgreSQL and SQLite, which put NULLs at opposite ends by default.
        ordering = [
            models.F("completed_at").desc(nulls_first=True),
            models.F("due_date").asc(nulls_last=True),
            "priority",
            "-created_at",
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=5),
                name="task_priority_range",
                violation_error_message=_("Priority must be between 1 (highest) and 5 (lowest)."),
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="task_title_not_empty"),
            models.CheckConstraint(
                condition=models.Q(recurrence="")
                | models.Q(due_date__isnull=False, recurrence_start__isnull=False),
                name="task_recurring_has_dates",
                violation_error_message=_("A recurring task needs a due date."),
            ),
            models.CheckConstraint(
                condition=models.Q(due_time__isnull=True) | models.Q(due_date__isnull=False),
                name="task_due_time_has_date",
                violation_error_message=_("Give a due date with the due time."),
            ),
        ]
        indexes = [
            models.Index(fields=["user", "due_date"], name="task_user_due_idx"),
            models.Index(fields=["user", "completed_at"], name="task_user_completed_idx"),
            models.Index(fields=["user", "priority"], name="task_user_priority_idx"),
            models.Index(fields=["user", "goal"], name="task_user_goal_idx"),
            models.Index(fields=["user", "-created_at"], name="task_user_created_idx"),
            models.Index(
                fields=["user", "due_date"],
                condition=models.Q(completed_at__isnull=True),
                name="task_user_open_due_idx",
            ),
            # The list's default order (Meta.ordering, then the pk that
            # lib.api.OrderingFilter appends): a page is read off the index instead of
            # sorting every task of the user.
            models.Index(
                models.F("user"),
                # PostgreSQL's defaults (DESC NULLS FIRST, ASC NULLS LAST) are the ordering's;
                # spelling them out would break SQLite, which rejects NULLS in an index.
                models.F("completed_at").desc(),
                models.F("due_date").asc(),
                models.F("priority"),
                models.F("created_at").desc(),
                models.F("id"),
                name="task_user_list_order_idx",
            ),
            # `?cursor=` walks the list by this key (lib.api.Walk).
            models.Index(
                models.F("user"), models.F("created_at"), models.F("id"), name="task_user_walk_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tasks:edit", args=[self.pk])

    def clean(self):
        if self.user_id and self.goal is not None and self.goal.user_id != self.user_id:
            raise ValidationError({"goal": gettext("Choose one of your own goals.")})

    @property
    def is_completed(self):
        return self.completed_at is not None

    @property
    def is_recurring(self):
        return bool(self.recurrence)

    @property
    def recurrence_text(self) -> str:
        """The repeat rule in a few words ("every week on Mon, Thu"), "" for a one-off task."""
        if not self.recurrence:
            return ""
        text = recurrence.describe(self.recurrence)
        if self.recurs_after_completion:
            return gettext("%(rule)s, counted from completion") % {"rule": text}
        return text

    def checklist_counts(self) -> tuple[int, int]:
        """`(done, total)` of the subtasks: the list's annotations (`with_details`), else one
        query."""
        if getattr(self, "subtasks_total", None) is None:
            counts = self.subtasks.aggregate(
                total=models.Count("pk"), done=models.Count("pk", filter=models.Q(done=True))
            )
            self.subtasks_total, self.subtasks_done = counts["total"], counts["done"]
        return self.subtasks_done, self.subtasks_total

    @property
    def checklist(self) -> dict:
        """`{"done": n, "total": m}` for templates."""
        done, total = self.checklist_counts()
        return {"done": done, "total": total}

    @staticmethod
    def overdue_q(today) -> models.Q:
        """What "overdue" means, as a filter: open and due before `today` (the user's today).

        The one definition: querysets, filters, figures and the `overdue` of a task's row
        (`TaskQuerySet.with_overdue`) use it.
        """
        return models.Q(completed_at__isnull=True, due_date__lt=today)

    def complete(self, *, now=None, tzinfo=None):
        """Mark done, recording the completion. Completing twice keeps the first time, even
        under concurrent requests.

        A recurring task instead records the completion of its current occurrence and moves on
        to the next one (staying open), or is done when its series has ended. `tzinfo` is the
        owner's zone, whose today and day of completion place the next date (by default read
        from their settings).
        """
        now = now or timezone.now()
        if self.is_recurring:
            self._complete_occurrence(now, tzinfo or UserCalendar.of(self.user).tzinfo)
            return
        updated = Task.objects.filter(pk=self.pk, completed_at__isnull=True).update(
            completed_at=now, updated_at=now
        )
        if updated:
            self.completed_at, self.updated_at = now, now
            self._record_completion(now)
        else:
            self.refresh_from_db(fields=["completed_at", "updated_at"])

    def _record_completion(self, now):
        TaskCompletion.objects.create(
            task=self,
            user_id=self.user_id,
            completed_at=now,
            due_date=self.due_date,
            priority=self.priority,
        )

    def _lock(self):
        """Read the task's recurrence state again under a row lock: two completions of one
        occurrence at once must not both move the series on from the same date."""
        fresh = Task.objects.select_for_update().get(pk=self.pk)
        for name in (
            "due_date",
            "occurrence_date",
            "completed_at",
            "recurrence",
            "recurrence_start",
        ):
            setattr(self, name, getattr(fresh, name))

    def _complete_occurrence(self, now, tzinfo):
        self._lock()
        if self.completed_at is not None:  # the series has ended
            return
        self._record_completion(now)
        following = self.next_occurrence(today=timezone.localdate(now, tzinfo))
        if following is None:
            self.completed_at = now
        else:
            self.due_date = self.occurrence_date = following
        self.save(update_fields=["due_date", "occurrence_date", "completed_at", "updated_at"])

    def next_occurrence(self, *, today):
        """The date the series moves to from the current occurrence, or None once it ended.

        A habit (`recurs_after_completion`) counts from `today`, the day it is done. A schedule
        goes on from the current occurrence's date, but never into the past: an occurrence
        done late moves the task to the first date of the series from `today` on.
        """
        if self.recurs_after_completion:
            return recurrence.next_occurrence(self.recurrence, start=today, after=today)
        # A recurring task has both (the `task_recurring_has_dates` constraint).
        current = self.occurrence_date or self.due_date or today
        start = self.recurrence_start or current
        following = recurrence.next_occurrence(self.recurrence, start=start, after=current)
        if following is not None and following < today:
            following = recurrence.first_on_or_after(self.recurrence, start=start, day=today)
        return following

    def skip_occurrence(self, *, today):
        """Move a recurring task to its next date without recording a completion."""
        if not self.is_recurring or self.is_completed:
            raise ValidationError(
                {"recurrence": gettext("Only an open recurring task can be skipped.")}
            )
        self._lock()
        following = self.next_occurrence(today=today)
        if following is None:
            raise ValidationError(
                {
                    "recurrence": gettext(
                        "This is the series' last date: complete or delete the task."
                    )
                }
            )
        self.due_date = self.occurrence_date = following
        self.save(update_fields=["due_date", "occurrence_date", "updated_at"])

    def reopen(self):
        """Undo the last completion: a one-off task is open again; a recurring one goes back
        to the occurrence it was completed on (its completion is forgotten)."""
        last = self.completions.order_by("-completed_at").first()
        if self.is_recurring:
            if last is None:
                return
            self.due_date = self.occurrence_date = last.due_date
        if last is not None:
            last.delete()
        self.completed_at = None
        self.save(update_fields=["completed_at", "due_date", "occurrence_date", "updated_at"])


class TaskCompletion(models.Model):
    """One completion of a task: every occurrence of a recurring task has its own, and the
    figures (score, streak, completions per day) count these rows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="completions")
    # The task's owner, copied so the figures filter completions without a join.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_completions"
    )
    completed_at = models.DateTimeField(default=timezone.now)
    # The occurrence's due date and the task's priority when it was done: the figures judge a
    # completion by what was asked then, whatever the task became later.
    due_date = models.DateField(null=True, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Task.Priority, default=Task.Priority.NORMAL)

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=5),
                name="task_completion_priority_range",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "completed_at"], name="completion_user_done_idx"),
            models.Index(fields=["task", "-completed_at"], name="completion_task_done_idx"),
        ]

    def __str__(self):
        return f"{self.task} done {self.completed_at:%Y-%m-%d %H:%M}"


class Subtask(models.Model):
    """One item of a task's checklist, in the order of `position`."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="subtasks")
    title = models.CharField(_("title"), max_length=255)
    done = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["position", "created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="subtask_title_not_empty"),
        ]
        indexes = [models.Index(fields=["task", "position"], name="subtask_task_position_idx")]

    def __str__(self):
        return self.title


# A reminder before the due date of a task without a time of day counts from this time.
REMINDER_DAY_TIME = datetime.time(9, 0)
# Four weeks: the longest "before" a reminder may have.
MAX_MINUTES_BEFORE = 4 * 7 * 24 * 60


class ReminderQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)

    def due(self, now):
        """Reminders whose moment has come, not sent yet, of open tasks of active users."""
        return self.filter(
            remind_at__lte=now,
            sent_at__isnull=True,
            task__completed_at__isnull=True,
            user__is_active=True,
        )


class Reminder(models.Model):
    """A reminder of a task: `minutes_before` its due moment (0: at the due time), or at the
    fixed moment `fixed_at`. `remind_at` is when it fires next (UTC), `sent_at` when it did.

    A relative reminder follows its task: a new due date (or the next occurrence of a recurring
    task) sets a new `remind_at` and arms it again. Sending claims the row first (`claimed_at`,
    a lease), so two workers never send the same reminder and one that died mid-way leaves the
    reminder to be sent again once the lease runs out.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    minutes_before = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_MINUTES_BEFORE)]
    )
    fixed_at = models.DateTimeField(null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["remind_at", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes_before__isnull=True, fixed_at__isnull=False)
                | models.Q(minutes_before__isnull=False, fixed_at__isnull=True),
                name="reminder_relative_or_fixed",
                violation_error_message=_("A reminder is before the due time or at a set time."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["remind_at"],
                condition=models.Q(sent_at__isnull=True),
                name="reminder_pending_idx",
            ),
            models.Index(fields=["task", "remind_at"], name="reminder_task_idx"),
        ]

    def __str__(self):
        return f"Reminder of {self.task} at {self.remind_at}"

    def moment(self, task, tzinfo):
        """When this reminder should fire for `task` as it is now, or None (a relative
        reminder of a task without a due date)."""
        if self.fixed_at is not None:
            return self.fixed_at
        if task.due_date is None:
            return None
        local = datetime.datetime.combine(
            task.due_date, task.due_time or REMINDER_DAY_TIME, tzinfo=tzinfo
        )
        # Wall-clock arithmetic in UTC: "an hour before" is an hour of real time, also across
        # a change of the clocks.
        return local.astimezone(datetime.UTC) - datetime.timedelta(minutes=self.minutes_before or 0)
