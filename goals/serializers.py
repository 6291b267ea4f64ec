from rest_framework import serializers

from lib.serializers import JSONObjectField, OwnedPrimaryKeyRelatedField
from plans.models import Plan

from .models import Domain, Goal, ProgressEntry, Status


class GoalSerializer(serializers.ModelSerializer):
    """A goal. Fields left out of a PUT take their defaults."""

    pdp = OwnedPrimaryKeyRelatedField(
        Plan, source="plan", help_text="The id of one of your plans, or null."
    )
    # DRF moves declared fields off the class; only the stubs see `Serializer.data` here.
    data = JSONObjectField(default=dict, help_text="Free-form goal data: a JSON object.")  # type: ignore[assignment]

    class Meta:
        model = Goal
        fields = [
            "id",
            "pdp",
            "title",
            "description",
            "domain",
            "target_date",
            "status",
            "progress",
            "data",
            "completed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "completed_at", "created_at", "updated_at"]
        extra_kwargs = {
            "title": {"help_text": "1-255 characters."},
            "description": {"default": ""},
            "domain": {"default": Domain.PERSONAL},
            "target_date": {"default": None},
            "status": {
                "default": Status.ACTIVE,
                "help_text": "`completed` sets progress to 100 and `completed_at`.",
            },
            "progress": {
                "default": 0,
                "min_value": 0,
                "max_value": 100,
                "help_text": "0-100; 100 completes the goal. Each change is logged.",
            },
        }


class ProgressEntrySerializer(serializers.ModelSerializer):
    """One entry of a goal's progress log."""

    progress = serializers.IntegerField(
        source="value", min_value=0, max_value=100, help_text="0-100; 100 completes the goal."
    )

    class Meta:
        model = ProgressEntry
        fields = ["id", "goal", "progress", "note", "created_at"]
        read_only_fields = ["id", "goal", "created_at"]
        extra_kwargs = {"note": {"default": ""}}
