import datetime

from rest_framework import serializers

from lib.serializers import JSONObjectField

from .models import Plan, PlanReview, ReviewCadence


class PlanSerializer(serializers.ModelSerializer):
    """A Personal Development Plan. Fields left out of a PUT take their defaults."""

    # DRF moves declared fields off the class; only the stubs see `Serializer.data` here.
    data = JSONObjectField(default=dict, help_text="Free-form plan data: a JSON object.")  # type: ignore[assignment]
    progress = serializers.IntegerField(
        read_only=True, help_text="Mean progress of the plan's goals, 0-100 (0 without goals)."
    )
    goal_count = serializers.IntegerField(read_only=True, help_text="Number of goals in the plan.")
    next_review_date = serializers.SerializerMethodField(
        help_text="When the next review is due: one cadence after the last review (or after "
        "the plan's start)."
    )
    shared = serializers.BooleanField(
        source="is_shared", read_only=True, help_text="Whether a read-only share link is live."
    )

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
            "review_cadence",
            "next_review_date",
            "shared",
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
            "review_cadence": {"default": ReviewCadence.MONTHLY},
        }

    def get_next_review_date(self, plan: Plan) -> datetime.date:
        return plan.next_review()


class ReviewGoalSerializer(serializers.Serializer):
    """A goal as the review found it."""

    goal = serializers.UUIDField()
    title = serializers.CharField()
    domain = serializers.CharField()
    progress = serializers.IntegerField()
    status = serializers.CharField()


class PlanReviewSerializer(serializers.ModelSerializer):
    """A review: a dated snapshot of every goal of the plan, with the owner's reflection.
    Later changes to the goals never alter it."""

    pdp = serializers.UUIDField(source="plan_id", read_only=True)
    goals = ReviewGoalSerializer(many=True, read_only=True)

    class Meta:
        model = PlanReview
        fields = ["id", "pdp", "created_at", "went_well", "went_badly", "next", "progress"]
        fields += ["goals"]
        read_only_fields = ["id", "created_at", "progress"]
        extra_kwargs = {
            "went_well": {"default": "", "help_text": "What went well."},
            "went_badly": {"default": "", "help_text": "What did not."},
            "next": {"default": "", "help_text": "What next."},
            "progress": {"help_text": "The plan's progress then: the mean of its goals'."},
        }


class ShareLinkSerializer(serializers.Serializer):
    url = serializers.URLField(help_text="The secret read-only link; no sign-in needed.")
    created_at = serializers.DateTimeField(source="shared_at")


class PlanDeleteSerializer(serializers.Serializer):
    cascade = serializers.BooleanField(
        default=False,
        help_text="`true` deletes the plan's goals too; otherwise they stay, without a plan.",
    )
