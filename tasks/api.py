from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.calendar import UserCalendar
from lib.api import OrderingFilter, crud_schema, error_responses, id_parameter

from . import services
from .filters import TaskFilter
from .models import Task
from .selectors import get_task_or_404, task_list
from .serializers import TaskSerializer


class DocumentedFilters(DjangoFilterBackend):
    """Lists the view's `filterset_class` parameters in the schema; the view applies them."""

    def filter_queryset(self, request, queryset, view):
        return queryset


ID = id_parameter("task")


@crud_schema(
    TaskSerializer,
    ID,
    one="a task",
    many="tasks",
    list={"description": "Open tasks first, soonest due first, unless `ordering` says otherwise."},
)
class TaskViewSet(viewsets.ModelViewSet):
    """Tasks of the signed-in user."""

    # The rows' model, for the schema; `get_queryset` gives the signed-in user's.
    queryset = Task.objects.none()
    serializer_class = TaskSerializer
    filterset_class = TaskFilter  # `?search=` is one of its filters
    filter_backends = [DocumentedFilters, OrderingFilter]
    ordering_fields = [
        "title",
        "priority",
        "due_date",
        "completed_at",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self):
        """The `task_list` selector, given the query's filters as `TaskFilter` parses them."""
        query = TaskFilter(self.request.query_params).form
        if not query.is_valid():
            raise translate_validation(query.errors)  # a 400 naming each bad parameter
        filters = query.cleaned_data
        # The user DRF authenticated (a JWT may name another user than the session cookie);
        # the time-zone middleware loads no settings for the API.
        today = UserCalendar.of(self.request.user).today if filters["overdue"] is not None else None
        return task_list(user=self.request.user, filters=filters, today=today)

    def get_object(self) -> Task:
        task = get_task_or_404(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, task)
        return task

    def perform_create(self, serializer) -> None:
        serializer.instance = services.create_task(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer) -> None:
        serializer.instance = services.update_task(
            task=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance: Task) -> None:
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
