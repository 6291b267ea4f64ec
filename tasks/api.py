from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bakhmach.api import OrderingFilter, SearchFilter, error_responses

from . import services
from .filters import TaskFilter
from .models import Task
from .selectors import get_task_or_404, tasks_of
from .serializers import TaskSerializer

ID = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The task's id (a UUID)."
)


@extend_schema_view(
    list=extend_schema(
        summary="List your tasks",
        description="Open tasks first, soonest due first, unless `ordering` says otherwise.",
        responses={200: TaskSerializer(many=True), **error_responses(400, 401)},
    ),
    create=extend_schema(
        summary="Create a task", responses={201: TaskSerializer, **error_responses(400, 401)}
    ),
    retrieve=extend_schema(
        summary="Get a task",
        parameters=[ID],
        responses={200: TaskSerializer, **error_responses(401, 404)},
    ),
    update=extend_schema(
        summary="Replace a task",
        parameters=[ID],
        responses={200: TaskSerializer, **error_responses(400, 401, 404)},
    ),
    partial_update=extend_schema(
        summary="Update a task partially",
        parameters=[ID],
        responses={200: TaskSerializer, **error_responses(400, 401, 404)},
    ),
    destroy=extend_schema(
        summary="Delete a task",
        parameters=[ID],
        responses={204: None, **error_responses(401, 404)},
    ),
)
class TaskViewSet(viewsets.ModelViewSet):
    """Tasks of the signed-in user."""

    serializer_class = TaskSerializer
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    filterset_class = TaskFilter
    search_fields = ["title", "description"]
    ordering_fields = [
        "title",
        "priority",
        "due_date",
        "completed_at",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Task.objects.none()
        return tasks_of(self.request.user)

    def get_object(self):
        task = get_task_or_404(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, task)
        return task

    def perform_create(self, serializer):
        serializer.instance = services.create_task(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_task(
            task=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_task(task=instance)

    @extend_schema(
        methods=["POST"],
        summary="Complete a task",
        description="Sets `completed_at`; completing a completed task keeps the first time.",
        parameters=[ID],
        request=None,
        responses={200: TaskSerializer, **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Reopen a task",
        description="Clears `completed_at`.",
        parameters=[ID],
        request=None,
        responses={200: TaskSerializer, **error_responses(401, 404)},
    )
    @action(detail=True, methods=["post", "delete"], filter_backends=[])
    def complete(self, request, pk=None):
        task = self.get_object()
        if request.method == "POST":
            services.complete_task(task=task)
        else:
            services.reopen_task(task=task)
        return Response(self.get_serializer(task).data)
