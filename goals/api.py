from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bakhmach.api import OrderingFilter, SearchFilter, error_responses

from . import services
from .filters import GoalFilter
from .models import Goal
from .selectors import get_goal_or_404, goals_of, progress_entries_of
from .serializers import GoalSerializer, ProgressEntrySerializer

ID = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The goal's id (a UUID)."
)


@extend_schema_view(
    list=extend_schema(
        summary="List your goals",
        responses={200: GoalSerializer(many=True), **error_responses(400, 401)},
    ),
    create=extend_schema(
        summary="Create a goal", responses={201: GoalSerializer, **error_responses(400, 401)}
    ),
    retrieve=extend_schema(
        summary="Get a goal",
        parameters=[ID],
        responses={200: GoalSerializer, **error_responses(401, 404)},
    ),
    update=extend_schema(
        summary="Replace a goal",
        parameters=[ID],
        responses={200: GoalSerializer, **error_responses(400, 401, 404)},
    ),
    partial_update=extend_schema(
        summary="Update a goal partially",
        parameters=[ID],
        responses={200: GoalSerializer, **error_responses(400, 401, 404)},
    ),
    destroy=extend_schema(
        summary="Delete a goal (its tasks stay, without a goal)",
        parameters=[ID],
        responses={204: None, **error_responses(401, 404)},
    ),
)
class GoalViewSet(viewsets.ModelViewSet):
    """Goals of the signed-in user."""

    serializer_class = GoalSerializer
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
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
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Goal.objects.none()
        return goals_of(self.request.user)

    def get_object(self):
        goal = get_goal_or_404(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, goal)
        return goal

    def perform_create(self, serializer):
        serializer.instance = services.create_goal(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_goal(
            goal=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
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
