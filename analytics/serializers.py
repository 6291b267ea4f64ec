"""Shapes of the analytics API: the query of the productivity endpoint and the answers.

The answers are read-only renderings of the dicts the selectors compute (and cache); declaring
them documents every field in the OpenAPI schema.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from goals.models import Domain, Status

from . import selectors
from .periods import validate_range


class _FromToMixin(serializers.Serializer):
    """Exposes the `from_` field as `from`, a Python keyword that cannot be an attribute."""

    def get_fields(self):
        fields = super().get_fields()
        return {"from" if name == "from_" else name: field for name, field in fields.items()}


class ProductivityQuerySerializer(_FromToMixin, serializers.Serializer):
    period = serializers.ChoiceField(
        choices=["week", "month"],
        default="week",
        help_text="The user's current week (from their week start) or calendar month.",
    )
    from_ = serializers.DateField(
        required=False, help_text="First day of a custom range (with `to`); overrides `period`."
    )
    to = serializers.DateField(required=False, help_text="Last day of a custom range.")

    def validate(self, attrs):
        try:
            validate_range(attrs.get("from"), attrs.get("to"))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs


class WeekSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class GoalCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    active = serializers.IntegerField()
    completed = serializers.IntegerField()
    on_hold = serializers.IntegerField()
    average_progress = serializers.FloatField(
        allow_null=True, help_text="Mean progress of all goals (0-100); null without goals."
    )
    by_domain = serializers.DictField(
        child=serializers.IntegerField(), help_text=f"Goals per domain: {', '.join(Domain.values)}."
    )


class TaskCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    completed = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Open, with a due date before today.")
    due_this_week = serializers.IntegerField(
        help_text="Open, due from today to the last day of this week (so not overdue)."
    )
    completed_this_week = serializers.IntegerField()


class ScorePartsSerializer(serializers.Serializer):
    completed = serializers.IntegerField()
    completed_on_time = serializers.IntegerField()
    completed_late = serializers.IntegerField()
    on_time_points = serializers.IntegerField()
    late_points = serializers.IntegerField()
    earned_points = serializers.FloatField(help_text="on_time_points + late_points / 2")
    overdue = serializers.IntegerField(help_text="Tasks overdue at the end of the period.")
    overdue_points = serializers.IntegerField()
    possible_points = serializers.IntegerField(
        help_text="on_time_points + late_points + overdue_points"
    )
    score = serializers.IntegerField(
        allow_null=True, help_text="100 * earned / possible, rounded; null when possible is 0."
    )


class SummarySerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="Today in the user's time zone.")
    timezone = serializers.CharField()
    week = WeekSerializer(help_text="This week, from the user's week start.")
    plans = serializers.IntegerField()
    goals = GoalCountsSerializer()
    tasks = TaskCountsSerializer()
    productivity_score = serializers.IntegerField(
        allow_null=True, help_text="The score of the last 7 days, today included."
    )
    score_parts = ScorePartsSerializer()
    streak_days = serializers.IntegerField(
        help_text="Consecutive days up to today (or yesterday, while today has none yet) "
        "with at least one completed task, in the user's time zone."
    )


class HistoryPointSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    date = serializers.DateField(help_text="The day of the entry in the user's time zone.")
    progress = serializers.IntegerField()


class GoalTrackingSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    domain = serializers.ChoiceField(choices=Domain.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    progress = serializers.IntegerField()
    start_date = serializers.DateField(help_text="The day the goal was created.")
    target_date = serializers.DateField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    expected_progress = serializers.IntegerField(
        allow_null=True,
        help_text="Progress due today on a steady path from start (0) to target date (100); "
        "null without a target date.",
    )
    on_track = serializers.BooleanField(
        allow_null=True,
        help_text="progress >= expected_progress (completed goals are on track); "
        "null without a target date.",
    )
    velocity = serializers.FloatField(
        allow_null=True,
        help_text="Progress points a day, from the first log entry to now.",
    )
    projected_completion = serializers.DateField(
        allow_null=True,
        help_text="When progress reaches 100 at the current velocity (the completion day for "
        "completed goals); null with a projection_reason when there is not enough data.",
    )
    projection_reason = serializers.ChoiceField(
        choices=list(selectors.PROJECTION_NOTES.items()),
        allow_null=True,
    )
    history = HistoryPointSerializer(many=True, help_text="The progress log, oldest first.")
    evidence = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="How many check-ins came from each evidence source: `task` (a completed "
        "task), `github` (a merged pull request), `slack`.",
    )


class GoalAnalyticsSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    goals = GoalTrackingSerializer(many=True)


class DayScoreSerializer(serializers.Serializer):
    date = serializers.DateField()
    completed = serializers.IntegerField(help_text="Tasks completed on this day.")
    completed_on_time = serializers.IntegerField()
    completed_late = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Tasks overdue at the end of this day.")
    score = serializers.IntegerField(
        allow_null=True,
        help_text="The score of the 7 days ending on this day (the dashboard's window), so "
        "every point is on the scale of a week; null when nothing was done or overdue.",
    )
    earned_points = serializers.FloatField(help_text="Earned in those 7 days.")
    possible_points = serializers.IntegerField(help_text="Possible in those 7 days.")


class ProductivitySerializer(_FromToMixin, serializers.Serializer):
    as_of = serializers.DateField()
    period = serializers.ChoiceField(choices=["week", "month"])
    from_ = serializers.DateField()
    to = serializers.DateField()
    score = serializers.IntegerField(
        allow_null=True, help_text="The score of the whole period (up to today)."
    )
    parts = ScorePartsSerializer()
    formula = serializers.CharField(help_text="The formula of the score, in words.")
    series = DayScoreSerializer(
        many=True, help_text="One entry per day from `from` to `to` or today, if earlier."
    )
