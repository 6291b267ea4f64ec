from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lib.api import (
    OwnedObjectMixin,
    ServiceWritesMixin,
    crud_schema,
    error_responses,
    id_parameter,
)

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
class GoalViewSet(OwnedObjectMixin, ServiceWritesMixin, viewsets.ModelViewSet):
    """Goals of the signed-in user."""

    model = Goal
    selector = goals_of
    object_getter = get_goal_or_404
    create_service = services.create_goal
    update_service = services.update_goal
    delete_service = services.delete_goal
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
