import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone


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


class Task(models.Model):
    class Priority(models.IntegerChoices):
        HIGHEST = 1, "1 · Highest"
        HIGH = 2, "2 · High"
        NORMAL = 3, "3 · Normal"
        LOW = 4, "4 · Low"
        LOWEST = 5, "5 · Lowest"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tasks"
    )
    goal = models.ForeignKey(
        "goals.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority, default=Priority.NORMAL)
    due_date = models.DateField(null=True, blank=True)
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
                violation_error_message="Priority must be between 1 (highest) and 5 (lowest).",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="task_title_not_empty"),
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
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tasks:edit", args=[self.pk])

    def clean(self):
        if self.user_id and self.goal is not None and self.goal.user_id != self.user_id:
            raise ValidationError({"goal": "Choose one of your own goals."})

    @property
    def is_completed(self):
        return self.completed_at is not None

    @staticmethod
    def overdue_q(today) -> models.Q:
        """What "overdue" means, as a filter: open and due before `today` (the user's today).

        The one definition: querysets, filters, figures and the `overdue` of a task's row
        (`TaskQuerySet.with_overdue`) use it.
        """
        return models.Q(completed_at__isnull=True, due_date__lt=today)

    def complete(self, *, now=None):
        """Mark done. Completing twice keeps the first time, even under concurrent requests."""
        now = now or timezone.now()
        updated = Task.objects.filter(pk=self.pk, completed_at__isnull=True).update(
            completed_at=now, updated_at=now
        )
        if updated:
            self.completed_at, self.updated_at = now, now
        else:
            self.refresh_from_db(fields=["completed_at", "updated_at"])

    def reopen(self):
        self.completed_at = None
        self.save(update_fields=["completed_at", "updated_at"])
