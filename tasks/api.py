from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
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
from .filters import TaskFilter
from .models import Task
from .selectors import get_task_or_404, tasks_of
from .serializers import TaskSerializer

ID = id_parameter("task")


@crud_schema(
    TaskSerializer,
    ID,
    one="a task",
    many="tasks",
    list={"description": "Open tasks first, soonest due first, unless `ordering` says otherwise."},
)
class TaskViewSet(OwnedObjectMixin, ServiceWritesMixin, viewsets.ModelViewSet):
    """Tasks of the signed-in user."""

    model = Task
    selector = tasks_of
    object_getter = get_task_or_404
    create_service = services.create_task
    update_service = services.update_task
    delete_service = services.delete_task
    serializer_class = TaskSerializer
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
