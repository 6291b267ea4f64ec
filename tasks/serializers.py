from rest_framework import serializers

from goals.models import Goal
from lib.serializers import OwnedPrimaryKeyRelatedField

from .models import Task


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

    class Meta:
        model = Task
        fields = [
            "id",
            "goal",
            "title",
            "description",
            "priority",
            "due_date",
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
