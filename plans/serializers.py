from rest_framework import serializers

from lib.serializers import JSONObjectField

from .models import Plan


class PlanSerializer(serializers.ModelSerializer):
    """A Personal Development Plan. Fields left out of a PUT take their defaults."""

    # DRF moves declared fields off the class; only the stubs see `Serializer.data` here.
    data = JSONObjectField(default=dict, help_text="Free-form plan data: a JSON object.")  # type: ignore[assignment]
    progress = serializers.IntegerField(
        read_only=True, help_text="Mean progress of the plan's goals, 0-100 (0 without goals)."
    )
    goal_count = serializers.IntegerField(read_only=True, help_text="Number of goals in the plan.")

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "description",
            "vision",
            "start_date",
            "end_date",
            "data",
            "progress",
            "goal_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "title": {"help_text": "1-255 characters."},
            "description": {"default": ""},
            "vision": {"default": "", "help_text": "Where this plan should lead."},
            "start_date": {"default": None},
            "end_date": {"default": None, "help_text": "May not precede `start_date`."},
        }


class PlanDeleteSerializer(serializers.Serializer):
    cascade = serializers.BooleanField(
        default=False,
        help_text="`true` deletes the plan's goals too; otherwise they stay, without a plan.",
    )
