from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from bakhmach.api import OrderingFilter, SearchFilter, error_responses

from . import services
from .models import Plan
from .selectors import get_plan_or_404, plans_of
from .serializers import PlanDeleteSerializer, PlanSerializer

ID = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The plan's id (a UUID)."
)


@extend_schema_view(
    list=extend_schema(
        summary="List your plans",
        responses={200: PlanSerializer(many=True), **error_responses(400, 401)},
    ),
    create=extend_schema(
        summary="Create a plan", responses={201: PlanSerializer, **error_responses(400, 401)}
    ),
    retrieve=extend_schema(
        summary="Get a plan",
        parameters=[ID],
        responses={200: PlanSerializer, **error_responses(401, 404)},
    ),
    update=extend_schema(
        summary="Replace a plan",
        parameters=[ID],
        responses={200: PlanSerializer, **error_responses(400, 401, 404)},
    ),
    partial_update=extend_schema(
        summary="Update a plan partially",
        parameters=[ID],
        responses={200: PlanSerializer, **error_responses(400, 401, 404)},
    ),
    destroy=extend_schema(
        summary="Delete a plan",
        parameters=[ID, PlanDeleteSerializer],
        responses={204: None, **error_responses(400, 401, 404)},
    ),
)
class PlanViewSet(viewsets.ModelViewSet):
    """Personal Development Plans of the signed-in user."""

    serializer_class = PlanSerializer
    filter_backends = [DjangoFilterBackend, SearchFilter, OrderingFilter]
    search_fields = ["title", "description"]
    ordering_fields = [
        "title",
        "start_date",
        "end_date",
        "progress",
        "goal_count",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Plan.objects.none()
        return plans_of(self.request.user)

    def get_object(self):
        plan = get_plan_or_404(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, plan)
        return plan

    def perform_create(self, serializer):
        plan = services.create_plan(user=self.request.user, **serializer.validated_data)
        serializer.instance = get_plan_or_404(self.request.user, plan.pk)

    def perform_update(self, serializer):
        plan = services.update_plan(plan=serializer.instance, **serializer.validated_data)
        serializer.instance = get_plan_or_404(self.request.user, plan.pk)

    def destroy(self, request, *args, **kwargs):
        plan = self.get_object()
        options = PlanDeleteSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        services.delete_plan(plan=plan, cascade=options.validated_data["cascade"])
        return Response(status=status.HTTP_204_NO_CONTENT)
