from typing import Any, cast

from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.calendar import UserCalendar
from lib.api import (
    CURSOR_PARAMETER,
    OrderingFilter,
    Pagination,
    Walk,
    crud_schema,
    error_responses,
    id_parameter,
)
from lib.user_version import answer_key, versioned_get_many, versioned_set_many

from . import services
from .filters import TaskFilter
from .models import Label, Subtask, Task
from .selectors import (
    completions_of,
    get_label_or_404,
    get_subtask_or_404,
    get_task_or_404,
    get_task_with_details_or_404,
    labels_of,
    parse_for,
    subtasks_of,
    task_list,
    task_page,
    task_walk,
)
from .serializers import (
    CompletionSerializer,
    LabelSerializer,
    ParsedTaskSerializer,
    ParseRequestSerializer,
    SubtaskSerializer,
    TaskSerializer,
    task_list_data,
)


class DocumentedFilters(DjangoFilterBackend):
    """Lists the view's `filterset_class` parameters in the schema; the view applies them."""

    def filter_queryset(self, request, queryset, view):
        return queryset


ID = id_parameter("task")
FILTERS = frozenset(TaskFilter.base_filters)


@crud_schema(
    TaskSerializer,
    ID,
    one="a task",
    many="tasks",
    list={
        "description": "Open tasks first, soonest due first, unless `ordering` says otherwise; "
        "or, with `cursor`, oldest first.",
        "parameters": [CURSOR_PARAMETER],
    },
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
        """The `task_list` selector, given the query's filters as `TaskFilter` parses them
        (none parsed when the query names none)."""
        filters = {}
        if FILTERS.intersection(self.request.query_params):
            query = TaskFilter(self.request.query_params).form
            if not query.is_valid():
                raise translate_validation(query.errors)  # a 400 naming each bad parameter
            filters = query.cleaned_data
        # The user DRF authenticated (a JWT may name another user than the session cookie);
        # the time-zone middleware loads no settings for the API.
        overdue = filters.get("overdue") is not None
        today = UserCalendar.of(self.request.user).today if overdue else None
        return task_list(user=self.request.user, filters=filters, today=today)

    def list(self, request, *args, **kwargs):
        """A page of the list (`?page=`, or `?cursor=`: `lib.api.Walk`), answered from the
        cache while none of the user's data changed (`lib.user_version`): one Redis round trip
        and no query. On a miss the count is reused when only the page changed, and the rows
        are read by `task_page` or `task_walk`."""
        query = request.query_params
        params = [(name, value) for name, values in query.lists() for value in values]
        user_id = request.user.pk
        page_key = answer_key(user_id, "tasks", params)
        count_key = answer_key(user_id, "tasks-count", [p for p in params if p[0] in FILTERS])
        walk = Walk(request) if Walk.param in query else None  # a bad cursor is a 400 first
        pages = cast(Pagination, self.paginator)
        token, found = None, dict[str, Any]()
        if "overdue" not in query:  # `overdue` counts from the user's today
            token, found = versioned_get_many(user_id, [page_key, count_key])
        if page_key in found:
            count, results, links = found[page_key]
            if walk is None:
                pages.page_of_count(request, count)
        else:
            tasks = self.filter_queryset(self.get_queryset())
            count = found[count_key] if count_key in found else tasks.count()
            if walk is None:
                rows, links = task_page(tasks, pages.page_of_count(request, count)), None
            else:
                size = pages.get_page_size(request) or pages.page_size
                rows, more = task_walk(tasks, after=walk.after, backwards=walk.backwards, size=size)
                links = walk.links(rows, more=more)
            results = task_list_data(rows)
            versioned_set_many(token, {page_key: (count, results, links), count_key: count})
        if walk is None:
            return pages.get_paginated_response(results)
        after, before = links
        return Response(
            {
                "count": count,
                "next": walk.link(after),
                "previous": walk.link(before),
                "results": results,
            }
        )

    def get_object(self) -> Task:
        task = get_task_or_404(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, task)
        return task

    def perform_create(self, serializer):
        fields = serializer.service_fields()
        fields.pop("scope", None)
        task = services.create_task(user=self.request.user, **fields)
        serializer.instance = get_task_with_details_or_404(self.request.user, task.pk)

    def perform_update(self, serializer):
        task = services.update_task(task=serializer.instance, **serializer.service_fields())
        serializer.instance = get_task_with_details_or_404(self.request.user, task.pk)

    def perform_destroy(self, instance):
        services.delete_task(task=instance)

    def _answer(self, task: Task) -> Response:
        return Response(self.get_serializer(get_task_with_details_or_404(task.user, task.pk)).data)

    @extend_schema(
        methods=["POST"],
        summary="Complete a task",
        description="Sets `completed_at`; completing a completed task keeps the first time. "
        "A recurring task records the completion and moves `due_date` to its next occurrence, "
        "staying open (`completed_at` null) until its series ends.",
        parameters=[ID],
        request=None,
        responses={200: TaskSerializer, **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Reopen a task",
        description="Undoes the last completion: clears `completed_at`; a recurring task goes "
        "back to the occurrence last completed, and that completion is forgotten.",
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
        return self._answer(task)

    @extend_schema(
        summary="Skip an occurrence of a recurring task",
        description="Moves `due_date` to the next occurrence without recording a completion. "
        "A one-off task, or the last occurrence of a series, is a 400.",
        parameters=[ID],
        request=None,
        responses={200: TaskSerializer, **error_responses(400, 401, 404)},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def skip(self, request, pk=None):
        task = self.get_object()
        services.skip_occurrence(task=task)
        return self._answer(task)

    @extend_schema(
        summary="List a task's completions",
        description="Every completion of the task, newest first: for a recurring task, one "
        "per occurrence completed.",
        parameters=[ID],
        responses={200: CompletionSerializer(many=True), **error_responses(401, 404)},
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        serializer_class=CompletionSerializer,
    )
    def completions(self, request, pk=None):
        page = self.paginate_queryset(completions_of(self.get_object()))
        return self.get_paginated_response(CompletionSerializer(page, many=True).data)

    @extend_schema(
        summary="Read a quick-add line",
        description="What quick add would create from `text` (dates in your time zone); "
        "nothing is saved.",
        request=ParseRequestSerializer,
        responses={200: ParsedTaskSerializer, **error_responses(400, 401)},
    )
    @action(
        detail=False,
        methods=["post"],
        filter_backends=[],
        pagination_class=None,
        serializer_class=ParseRequestSerializer,
    )
    def parse(self, request):
        query = ParseRequestSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        parsed = parse_for(user=request.user, text=query.validated_data["text"])
        return Response(ParsedTaskSerializer(parsed).data)


LABEL_ID = id_parameter("label")


@crud_schema(LabelSerializer, LABEL_ID, one="a label", many="labels")
class LabelViewSet(viewsets.ModelViewSet):
    """Labels of the signed-in user: coloured tags for tasks, names unique in any letter case."""

    queryset = Label.objects.none()  # the rows' model, for the schema
    serializer_class = LabelSerializer
    filter_backends = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return labels_of(self.request.user)

    def get_object(self) -> Label:
        return get_label_or_404(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        serializer.instance = services.create_label(
            user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_label(
            label=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_label(label=instance)


SUBTASK_ID = id_parameter("subtask")
TASK_ID = OpenApiParameter(
    "task_pk", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The task's id (a UUID)."
)


@crud_schema(
    SubtaskSerializer,
    SUBTASK_ID,
    one="a subtask",
    many="subtasks",
    list={
        "description": "The task's checklist in order (a list, not a page: it is short).",
        "parameters": [TASK_ID],
    },
    create={"parameters": [TASK_ID]},
)
class SubtaskViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The checklist of one of the signed-in user's tasks."""

    queryset = Subtask.objects.none()
    serializer_class = SubtaskSerializer
    filter_backends = []
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def task(self) -> Task:
        if not hasattr(self, "_task"):
            self._task = get_task_or_404(self.request.user, self.kwargs["task_pk"])
        return self._task

    def get_queryset(self):
        return subtasks_of(self.task())

    def get_object(self) -> Subtask:
        return get_subtask_or_404(self.task(), self.kwargs["pk"])

    def perform_create(self, serializer):
        serializer.instance = services.add_subtask(task=self.task(), **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_subtask(
            subtask=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_subtask(subtask=instance)

    def create(self, request, *args, **kwargs):
        self.task()  # an unknown task is a 404 before the body is looked at
        return super().create(request, *args, **kwargs)
