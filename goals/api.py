from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lib.api import cached_page, crud_schema, error_responses, id_parameter

from . import services
from .filters import GoalFilter
from .models import Goal
from .selectors import (
    get_check_in_or_404,
    get_goal_or_404,
    get_key_result_or_404,
    goals_of,
    key_results_of,
    progress_entries_of,
    with_key_results,
)
from .serializers import GoalSerializer, KeyResultSerializer, ProgressEntrySerializer

ID = id_parameter("goal")
ENTRY_ID = OpenApiParameter(
    "entry_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The check-in's id."
)
KR_ID = OpenApiParameter(
    "kr_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The key result's id."
)


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

    def list(self, request, *args, **kwargs):
        def page():
            goals = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
            return self.get_serializer(with_key_results(goals), many=True).data

        # `progress_basis` is in words: one answer per language.
        return cached_page(self, page, name="goals", vary=[("language", get_language())])

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
        summary="A goal's check-ins, newest first",
        parameters=[ID],
        responses={200: ProgressEntrySerializer(many=True), **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Check in on a goal",
        description="A manual goal's `progress` takes the given value; a metric goal's "
        "`current_value` (or a key result's) takes `value`, and its progress follows. "
        "Reaching 100 completes the goal.",
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
            serializer = ProgressEntrySerializer(data=request.data, goal=goal)
            serializer.is_valid(raise_exception=True)
            entry = services.check_in(goal=goal, **serializer.service_fields())
            return Response(ProgressEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(progress_entries_of(goal))
        return self.get_paginated_response(ProgressEntrySerializer(page, many=True).data)

    @extend_schema(
        methods=["PATCH"],
        summary="Edit a check-in",
        description="The goal's progress, completion and history follow; dropping below 100 "
        "reopens a completed goal.",
        parameters=[ID, ENTRY_ID],
        request=ProgressEntrySerializer,
        responses={200: ProgressEntrySerializer, **error_responses(400, 401, 404)},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Delete a check-in",
        description="The goal's progress, completion and history follow.",
        parameters=[ID, ENTRY_ID],
        responses={204: None, **error_responses(401, 404)},
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"progress/(?P<entry_id>[^/]+)",
        serializer_class=ProgressEntrySerializer,
        filter_backends=[],
    )
    def check_in(self, request, pk=None, entry_id=None):
        goal = self.get_object()
        entry = get_check_in_or_404(goal, entry_id)
        if request.method == "DELETE":
            services.delete_check_in(entry=entry)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = ProgressEntrySerializer(entry, data=request.data, partial=True, goal=goal)
        serializer.is_valid(raise_exception=True)
        fields = serializer.service_fields()
        fields.pop("key_result", None)  # a check-in keeps what it measured
        entry = services.update_check_in(entry=entry, **fields)
        return Response(ProgressEntrySerializer(entry).data)

    @extend_schema(
        methods=["GET"],
        summary="A goal's key results",
        parameters=[ID],
        responses={200: KeyResultSerializer(many=True), **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a key result to a goal measured by key results (at most 5)",
        parameters=[ID],
        request=KeyResultSerializer,
        responses={201: KeyResultSerializer, **error_responses(400, 401, 404)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="key-results",
        serializer_class=KeyResultSerializer,
        filter_backends=[],
    )
    def key_results(self, request, pk=None):
        goal = self.get_object()
        if request.method == "POST":
            serializer = KeyResultSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            result = services.create_key_result(goal=goal, **serializer.validated_data)
            return Response(KeyResultSerializer(result).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(key_results_of(goal))
        return self.get_paginated_response(KeyResultSerializer(page, many=True).data)

    @extend_schema(
        methods=["PATCH"],
        summary="Update a key result",
        description="A new `current_value` is logged as a check-in; the goal's progress follows.",
        parameters=[ID, KR_ID],
        request=KeyResultSerializer,
        responses={200: KeyResultSerializer, **error_responses(400, 401, 404)},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Delete a key result and its check-ins",
        description="The goal's progress follows.",
        parameters=[ID, KR_ID],
        responses={204: None, **error_responses(401, 404)},
    )
    @action(
        detail=True,
        methods=["patch", "delete"],
        url_path=r"key-results/(?P<kr_id>[^/]+)",
        serializer_class=KeyResultSerializer,
        filter_backends=[],
    )
    def key_result(self, request, pk=None, kr_id=None):
        goal = self.get_object()
        result = get_key_result_or_404(goal, kr_id)
        if request.method == "DELETE":
            services.delete_key_result(key_result=result)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = KeyResultSerializer(result, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        result = services.update_key_result(key_result=result, **serializer.validated_data)
        return Response(KeyResultSerializer(result).data)
