from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lib.api import crud_schema, error_responses, id_parameter

from . import services
from .filters import GoalFilter
from .models import Goal
from .selectors import get_goal_or_404, goals_of, progress_entries_of
from .serializers import GoalSerializer, ProgressEntrySerializer

ID = id_parameter("goal")


@crud_schema(
    GoalSerializer,
    ID,
    one="a goal",
    many="goals",
    destroy={"summary": "Delete a goal (its tasks stay, without a goal)"},
)
class GoalViewSet(viewsets.ModelViewSet):
    """Goals of the signed-in user."""

    # The rows' model, for the schema; `get_queryset` gives the signed-in user's.
    queryset = Goal.objects.none()
    serializer_class = GoalSerializer
    filterset_class = GoalFilter
    search_fields = ["title", "description"]
    ordering_fields = [
        "title",
        "domain",
        "status",
        "progress",
        "target_date",
        "completed_at",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self):
        return goals_of(self.request.user)

    def get_object(self) -> Goal:
        goal = get_goal_or_404(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, goal)
        return goal

    def perform_create(self, serializer) -> None:
        serializer.instance = services.create_goal(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.update_goal(
            goal=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: Goal) -> None:
        services.delete_goal(goal=instance)

    @extend_schema(
        methods=["GET"],
        summary="A goal's progress log, newest first",
        parameters=[ID],
        responses={200: ProgressEntrySerializer(many=True), **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Log progress on a goal",
        description="The goal's `progress` takes the value; 100 completes the goal.",
        parameters=[ID],
        request=ProgressEntrySerializer,
        responses={201: ProgressEntrySerializer, **error_responses(400, 401, 404)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=ProgressEntrySerializer,
        filter_backends=[],
    )
    def progress(self, request, pk=None):
        goal = self.get_object()
        if request.method == "POST":
            serializer = ProgressEntrySerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            entry = services.log_progress(
                goal=goal,
                value=serializer.validated_data["value"],
                note=serializer.validated_data["note"],
            )
            return Response(ProgressEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(progress_entries_of(goal))
        return self.get_paginated_response(ProgressEntrySerializer(page, many=True).data)
