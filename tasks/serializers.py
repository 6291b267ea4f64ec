from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from goals.models import Goal
from lib.serializers import OwnedPrimaryKeyRelatedField

from . import recurrence, services
from .models import MAX_MINUTES_BEFORE, Label, Reminder, Subtask, Task, TaskCompletion


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ["id", "name", "color"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "name": {"help_text": "1-50 characters; unique among your labels in any letter case."},
            "color": {"help_text": "#RRGGBB.", "default": Label.DEFAULT_COLOR},
        }


class SubtaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subtask
        fields = ["id", "title", "done", "position"]
        read_only_fields = ["id"]
        extra_kwargs = {
            "title": {"help_text": "1-255 characters."},
            "position": {
                "required": False,
                "help_text": "Order in the checklist, smallest first; new items go last.",
            },
        }


class CompletionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskCompletion
        fields = ["completed_at", "due_date"]
        extra_kwargs = {"due_date": {"help_text": "The due date of the occurrence completed."}}


class ReminderSerializer(serializers.ModelSerializer):
    """A reminder: `minutes_before` the task's due time (0 = at it; a task without a time is
    due at 09:00 in your time zone), or at the fixed moment `remind_at`."""

    remind_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="When it fires (UTC). Give it for a reminder at a fixed moment; for one "
        "`minutes_before` the due time it is worked out (null while the task has no due date).",
    )
    minutes_before = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=MAX_MINUTES_BEFORE,
        help_text=f"Minutes before the due time, 0 to {MAX_MINUTES_BEFORE} (four weeks).",
    )

    class Meta:
        model = Reminder
        fields = ["id", "remind_at", "minutes_before"]
        read_only_fields = ["id"]

    def validate(self, attrs):
        fixed, before = attrs.get("remind_at"), attrs.get("minutes_before")
        if (fixed is None) == (before is None):
            raise serializers.ValidationError(gettext("Give either remind_at or minutes_before."))
        return attrs

    def to_service(self, attrs) -> dict:
        return {"fixed_at": attrs.get("remind_at"), "minutes_before": attrs.get("minutes_before")}


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "example": "FREQ=WEEKLY;BYDAY=MO,TH",
        "description": "An RFC 5545 RRULE (DAILY, WEEKLY, MONTHLY or YEARLY), or null.",
    }
)
class RecurrenceField(serializers.CharField):
    """An RRULE in, its canonical spelling out; "" or null for a one-off task."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, allow_blank=True, **kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if not text:
            return ""
        try:
            return recurrence.normalize(text)
        except recurrence.InvalidRule as exc:
            raise serializers.ValidationError(str(exc)) from None

    def validate_empty_values(self, data):
        if data is None:
            return True, ""
        return super().validate_empty_values(data)

    def to_representation(self, value):
        return value or None


class LabelIdsField(serializers.ListField):
    """The ids of the task's labels; in a request, ids of your own labels."""

    def __init__(self, **kwargs):
        super().__init__(child=OwnedPrimaryKeyRelatedField(Label, allow_null=False), **kwargs)

    def get_attribute(self, instance):
        return instance.labels.all()  # prefetched by the list's selector


class TaskSerializer(serializers.ModelSerializer):
    """A task. Fields left out of a PUT take their defaults; `completed_at` changes only through
    the `complete` action."""

    goal = OwnedPrimaryKeyRelatedField(Goal, help_text="The id of one of your goals, or null.")
    priority = serializers.IntegerField(
        min_value=1,
        max_value=5,
        default=Task.Priority.NORMAL,
        help_text="1 (highest) to 5 (lowest).",
    )
    is_completed = serializers.BooleanField(read_only=True)
    labels = LabelIdsField(
        default=list,
        max_length=50,
        help_text="Ids of your labels.",
    )
    recurrence = RecurrenceField(default="", max_length=recurrence.MAX_LENGTH)
    recurs_after_completion = serializers.BooleanField(
        default=False,
        help_text="For habits: the next date counts from the day the task is completed, "
        "not from the rule's schedule.",
    )
    due_time = serializers.TimeField(
        format="%H:%M",
        input_formats=["%H:%M", "%H:%M:%S"],
        allow_null=True,
        default=None,
        help_text="HH:MM in your time zone, or null; needs a due date.",
    )
    subtasks_total = serializers.IntegerField(read_only=True)
    subtasks_done = serializers.IntegerField(read_only=True)
    reminders = ReminderSerializer(many=True, default=list)
    scope = serializers.ChoiceField(
        choices=[services.THIS_OCCURRENCE, services.ALL_FUTURE],
        default=services.ALL_FUTURE,
        write_only=True,
        help_text="For a recurring task, what a new due date is for: `this` occurrence only "
        "(the series keeps its dates) or this and all `future` ones. A new rule is always for "
        "all future occurrences.",
    )

    class Meta:
        model = Task
        fields = [
            "id",
            "goal",
            "title",
            "description",
            "priority",
            "due_date",
            "due_time",
            "labels",
            "recurrence",
            "recurs_after_completion",
            "subtasks_total",
            "subtasks_done",
            "reminders",
            "scope",
            "completed_at",
            "is_completed",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "completed_at", "created_at", "updated_at"]
        extra_kwargs = {
            "title": {"help_text": "1-255 characters."},
            "description": {"default": ""},
            "due_date": {"default": None},
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # The list's selector counts subtasks in its query; a single task counts them here.
        data["subtasks_done"], data["subtasks_total"] = instance.checklist_counts()
        return data

    def service_fields(self) -> dict:
        """The validated data as the task services take it."""
        data = dict(self.validated_data)
        if "reminders" in data:
            data["reminders"] = [
                ReminderSerializer().to_service(reminder) for reminder in data["reminders"]
            ]
        return data


class ParseRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1000, help_text="One line, as typed into quick add.")


class ParsedTaskSerializer(serializers.Serializer):
    title = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    due_time = serializers.TimeField(format="%H:%M", allow_null=True)
    priority = serializers.IntegerField(
        allow_null=True, help_text="1-5, or null when the text gives none (a new task gets 3)."
    )
    labels = serializers.ListField(
        child=serializers.CharField(),
        help_text="Label names (`#name`); quick add creates those you do not have yet.",
    )
    recurrence = serializers.CharField(allow_null=True)
    recurs_after_completion = serializers.BooleanField()


_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()
_TIME = serializers.TimeField(format="%H:%M")  # as `TaskSerializer.due_time`


def task_list_data(rows) -> list[dict]:
    """The list's rows (`tasks.selectors.task_page`) as `TaskSerializer` shows tasks, field for
    field, without building a model object or a serializer per row (a test holds the two
    equal)."""
    return [
        {
            "id": str(row["id"]),
            "goal": str(row["goal_id"]) if row["goal_id"] else None,
            "title": row["title"],
            "description": row["description"],
            "priority": row["priority"],
            "due_date": _DATE.to_representation(row["due_date"]),
            "due_time": _TIME.to_representation(row["due_time"]),
            "labels": [str(label) for label in row["labels"]],
            "recurrence": row["recurrence"] or None,
            "recurs_after_completion": row["recurs_after_completion"],
            "subtasks_total": row["subtasks_total"],
            "subtasks_done": row["subtasks_done"],
            "reminders": [
                {
                    "id": str(reminder["id"]),
                    "remind_at": _DATETIME.to_representation(reminder["remind_at"]),
                    "minutes_before": reminder["minutes_before"],
                }
                for reminder in row["reminders"]
            ],
            "completed_at": _DATETIME.to_representation(row["completed_at"]),
            "is_completed": row["completed_at"] is not None,
            "created_at": _DATETIME.to_representation(row["created_at"]),
            "updated_at": _DATETIME.to_representation(row["updated_at"]),
        }
        for row in rows
    ]
