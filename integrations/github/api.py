"""`/api/integrations/github/…`: repositories to import from, goal mappings, imported items and
sync jobs. State and disconnecting are the generic `/api/integrations/github`."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from lib.api import error_responses, id_parameter

from . import services
from .selectors import (
    get_mapping_or_404,
    get_repository_or_404,
    get_sync_or_404,
    items_of,
    mappings_of,
    repositories_of,
)
from .serializers import (
    GoalMappingSerializer,
    ItemSerializer,
    RepositorySerializer,
    SyncJobSerializer,
)

TAGS = ["integrations"]
NUMERIC_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="Its id.")


class NotConnectedError(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = services.NOT_CONNECTED_MESSAGE
    default_code = "not_connected"


class RepositoryListView(generics.ListAPIView):
    serializer_class = RepositorySerializer
    filter_backends = []

    def get_queryset(self):
        return repositories_of(self.request.user)

    @extend_schema(
        tags=TAGS,
        summary="List your GitHub repositories (and which are imported from)",
        responses={200: RepositorySerializer(many=True), **error_responses(401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RepositoryDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Choose whether to import from a repository",
        parameters=[NUMERIC_ID],
        request=RepositorySerializer,
        responses={200: RepositorySerializer, **error_responses(400, 401, 404)},
    )
    def patch(self, request, pk):
        repository = get_repository_or_404(request.user, pk)
        serializer = RepositorySerializer(repository, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "selected" in serializer.validated_data:
            services.set_repository_selected(
                repository=repository, selected=serializer.validated_data["selected"]
            )
        return Response(RepositorySerializer(repository).data)


def _job_response(request, run, *, status_code=200) -> Response:
    location = request.build_absolute_uri(reverse("api-github-sync-detail", args=[run.pk]))
    return Response(SyncJobSerializer(run).data, status=status_code, headers={"Location": location})


class SyncView(APIView):
    throttle_scope = "integrations_sync"

    @extend_schema(
        tags=TAGS,
        summary="Sync with GitHub now",
        description="Answers 202 with the sync job (the one already queued or running, if "
        "any); poll its `Location`. 409 when GitHub is not connected or must be reconnected.",
        request=None,
        responses={
            202: SyncJobSerializer,
            409: OpenApiResponse(error_responses(404)[404].response, description="Not connected."),
            **error_responses(401),
        },
    )
    def post(self, request):
        try:
            run = services.request_sync(user=request.user, trigger="manual")
        except services.NotConnected as exc:
            raise NotConnectedError(str(exc)) from None
        return _job_response(request, run, status_code=status.HTTP_202_ACCEPTED)


class SyncDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Get a sync job (poll it until ready or failed)",
        parameters=[id_parameter("job")],
        responses={200: SyncJobSerializer, **error_responses(401, 404)},
    )
    def get(self, request, pk):
        run = get_sync_or_404(request.user, pk)
        return Response(SyncJobSerializer(run).data)


class ItemListView(generics.ListAPIView):
    """Issues and pull requests imported as tasks, each with its task's id."""

    serializer_class = ItemSerializer
    filter_backends = []

    def get_queryset(self):
        items = items_of(self.request.user).order_by("repository__full_name", "-number")
        for name in ("state", "kind", "task"):
            if value := self.request.query_params.get(name):
                items = items.filter(**{name: value})
        return items

    @extend_schema(
        tags=TAGS,
        summary="List the imported issues and pull requests",
        parameters=[
            OpenApiParameter("state", str, enum=["open", "closed", "merged"]),
            OpenApiParameter("kind", str, enum=["issue", "pull"]),
            OpenApiParameter("task", str, description="The one linked to this task."),
        ],
        responses={200: ItemSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MappingListView(generics.ListCreateAPIView):
    serializer_class = GoalMappingSerializer
    filter_backends = []

    def get_queryset(self):
        return mappings_of(self.request.user)

    @extend_schema(tags=TAGS, summary="List your label and milestone → goal mappings")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Map a label or milestone to a goal",
        description="New imports with that label (or in that milestone) go to the goal.",
        responses={201: GoalMappingSerializer, **error_responses(400, 401)},
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.add_goal_mapping(
            user=self.request.user, **serializer.validated_data
        )


class MappingDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Remove a mapping",
        parameters=[NUMERIC_ID],
        responses={204: None, **error_responses(401, 404)},
    )
    def delete(self, request, pk):
        services.delete_goal_mapping(mapping=get_mapping_or_404(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
