from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from lib.serializers import JSONObjectField, OwnedPrimaryKeyRelatedField
from plans.models import Plan

from .models import (
    METRIC_DECIMALS,
    METRIC_DIGITS,
    CheckInStatus,
    Direction,
    Domain,
    Goal,
    KeyResult,
    Measure,
    ProgressEntry,
    Status,
)


def metric_value_field(**kwargs):
    """A metric's value: a number with at most two decimals."""
    return serializers.DecimalField(
        max_digits=METRIC_DIGITS, decimal_places=METRIC_DECIMALS, coerce_to_string=False, **kwargs
    )


class KeyResultSerializer(serializers.ModelSerializer):
    """A key result: a metric of its own; the goal's progress is their weighted mean."""

    start_value = metric_value_field()
    target_value = metric_value_field()
    current_value = metric_value_field(
        required=False, help_text="Defaults to `start_value`; a change is logged as a check-in."
    )

    class Meta:
        model = KeyResult
        fields = [
            "id",
            "title",
            "unit",
            "direction",
            "start_value",
            "target_value",
            "current_value",
            "weight",
            "progress",
        ]
        read_only_fields = ["id", "progress"]
        extra_kwargs = {
            "unit": {"default": "", "help_text": "count, km, kg, €, ₴, hours, pages, % ..."},
            "direction": {"default": Direction.UP},
            "weight": {"default": 1, "help_text": "1-10: its share in the goal's progress."},
            "progress": {"help_text": "0-100: where `current_value` lies from start to target."},
        }


class GoalSerializer(serializers.ModelSerializer):
    """A goal. Fields left out of a PUT take their defaults."""

    pdp = OwnedPrimaryKeyRelatedField(
        Plan, source="plan", help_text="The id of one of your plans, or null."
    )
    # DRF moves declared fields off the class; only the stubs see `Serializer.data` here.
    data = JSONObjectField(default=dict, help_text="Free-form goal data: a JSON object.")  # type: ignore[assignment]
    start_value = metric_value_field(default=None, allow_null=True)
    target_value = metric_value_field(default=None, allow_null=True)
    current_value = metric_value_field(
        required=False,
        allow_null=True,
        help_text="The metric's current value (defaults to `start_value`); a change is logged "
        "as a check-in.",
    )
    key_results = KeyResultSerializer(
        source="measuring_key_results",
        many=True,
        read_only=True,
        help_text="The key results that measure the goal (empty unless `measure` is "
        "`key_results`); add them at `/api/goals/{id}/key-results`.",
    )
    progress_basis = serializers.SerializerMethodField(
        help_text="How `progress` was computed, in words."
    )

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
            "measure",
            "unit",
            "direction",
            "start_value",
            "target_value",
            "current_value",
            "key_results",
            "progress_basis",
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
            "status": {
                "default": Status.ACTIVE,
                "help_text": "`completed` sets progress to 100 and `completed_at`.",
            },
            "progress": {
                "default": 0,
                "min_value": 0,
                "max_value": 100,
                "help_text": "0-100; 100 completes the goal, dropping below reopens it. Typed "
                "only when `measure` is `manual` (each change is logged); otherwise derived "
                "and read-only: `metric` (current - start) / (target - start), `key_results` "
                "their weighted mean, `tasks` the share of its tasks done, each weighing "
                "6 - priority.",
            },
            "measure": {"default": Measure.MANUAL},
            "unit": {"default": "", "help_text": "count, km, kg, €, ₴, hours, pages, % ..."},
            "direction": {
                "default": Direction.UP,
                "help_text": "`down` for a metric that should fall (weight, debt).",
            },
            "target_date": {
                "default": None,
                "help_text": "Within the plan's dates (`start_date` to `end_date`).",
            },
        }

    def get_progress_basis(self, goal: Goal) -> str:
        return goal.explain_progress(goal.measuring_key_results)

    def validate(self, attrs):
        measure = attrs.get("measure", self.instance.measure if self.instance else Measure.MANUAL)
        if measure != Measure.MANUAL:
            attrs.pop("progress", None)  # derived: read-only
        return attrs


class GoalKeyResultField(serializers.PrimaryKeyRelatedField):
    """The id of one of the check-in's goal's key results; any other id is a 400."""

    def get_queryset(self):
        goal = getattr(self.parent, "goal", None)
        return goal.key_results.all() if goal is not None else KeyResult.objects.none()


class ProgressEntrySerializer(serializers.ModelSerializer):
    """A check-in: where a goal (or one of its key results) stood, why, and how it is going.

    Give `progress` (a percentage) for a `manual` goal; `value` (the new current value) for
    a `metric` goal, or `key_result` and `value` for a goal measured by key results (a
    `progress` on a metric goal is the share of its way). A `tasks` goal moves with its tasks:
    its check-ins carry a note, a status or a link.
    """

    progress = serializers.IntegerField(
        source="value",
        min_value=0,
        max_value=100,
        required=False,
        help_text="0-100: the goal's progress after this check-in (typed for a manual goal, "
        "derived otherwise); 100 completes the goal.",
    )
    value = metric_value_field(
        source="metric_value",
        required=False,
        allow_null=True,
        help_text="The new current value of the goal's metric, or of `key_result`.",
    )
    key_result = GoalKeyResultField(
        required=False,
        allow_null=True,
        pk_field=serializers.UUIDField(),
        help_text="The id of one of the goal's key results.",
    )
    status = serializers.ChoiceField(
        choices=CheckInStatus.choices,
        required=False,
        allow_blank=True,
        help_text="Suggested from the pace to the target date when left out.",
    )

    class Meta:
        model = ProgressEntry
        fields = [
            "id",
            "goal",
            "progress",
            "value",
            "key_result",
            "status",
            "note",
            "evidence_url",
            "source",
            "source_ref",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "goal", "source", "source_ref", "created_at", "updated_at"]
        extra_kwargs = {
            "note": {"default": ""},
            "evidence_url": {"default": "", "help_text": "A link to what shows the progress."},
            "source": {"help_text": "Where it came from: manual, task, github or slack."},
            "source_ref": {"help_text": "Which thing there: a task's id, a pull request's URL."},
        }

    def __init__(self, *args, goal: Goal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal = goal

    def validate(self, attrs):
        goal = self.goal
        if goal is None or self.partial:
            return attrs
        if goal.measure == Measure.MANUAL and "value" not in attrs:
            raise serializers.ValidationError({"progress": [_("This field is required.")]})
        if goal.measure == Measure.METRIC and not {"value", "metric_value"} & set(attrs):
            raise serializers.ValidationError({"value": [_("This field is required.")]})
        if goal.measure == Measure.KEY_RESULTS and "metric_value" not in attrs:
            raise serializers.ValidationError({"value": [_("This field is required.")]})
        return attrs

    def service_fields(self) -> dict:
        """The validated data as the check-in services name it."""
        data = dict(self.validated_data)
        names = {"value": "progress", "metric_value": "value"}
        return {names.get(name, name): value for name, value in data.items()}
