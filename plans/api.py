from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from lib.api import crud_schema, error_responses, id_parameter

from . import services
from .models import Plan
from .selectors import get_plan_or_404, get_review_or_404, plans_of, reviews_of
from .serializers import (
    PlanDeleteSerializer,
    PlanReviewSerializer,
    PlanSerializer,
    ShareLinkSerializer,
)

ID = id_parameter("plan")
REVIEW_ID = OpenApiParameter(
    "review_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The review's id."
)


@crud_schema(
    PlanSerializer,
    ID,
    one="a plan",
    many="plans",
    destroy={
        "parameters": [ID, PlanDeleteSerializer],
        "responses": {204: None, **error_responses(400, 401, 404)},
    },
)
class PlanViewSet(viewsets.ModelViewSet):
    """Personal Development Plans of the signed-in user."""

    # The rows' model, for the schema; `get_queryset` gives the signed-in user's.
    queryset = Plan.objects.none()
    serializer_class = PlanSerializer
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
        return plans_of(self.request.user)

    def get_object(self) -> Plan:
        plan = get_plan_or_404(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, plan)
        return plan

    def perform_create(self, serializer) -> None:
        plan = services.create_plan(user=self.request.user, **serializer.validated_data)
        # Read again, to answer with its progress and goal count.
        serializer.instance = get_plan_or_404(self.request.user, plan.pk)

    def perform_update(self, serializer) -> None:
        plan = services.update_plan(plan=serializer.instance, **serializer.validated_data)
        serializer.instance = get_plan_or_404(self.request.user, plan.pk)

    # Deletes take the `cascade` option.
    def destroy(self, request, *args, **kwargs):
        plan = self.get_object()
        options = PlanDeleteSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        services.delete_plan(plan=plan, cascade=options.validated_data["cascade"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["GET"],
        summary="A plan's reviews, newest first",
        parameters=[ID],
        responses={200: PlanReviewSerializer(many=True), **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Review a plan",
        description="Snapshots every goal's progress and status with the reflection; later "
        "changes to the goals never alter it.",
        parameters=[ID],
        request=PlanReviewSerializer,
        responses={201: PlanReviewSerializer, **error_responses(400, 401, 404)},
    )
    @action(detail=True, methods=["get", "post"], serializer_class=PlanReviewSerializer)
    def reviews(self, request, pk=None):
        plan = self.get_object()
        if request.method == "POST":
            serializer = PlanReviewSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            review = services.create_review(plan=plan, **serializer.validated_data)
            return Response(PlanReviewSerializer(review).data, status=status.HTTP_201_CREATED)
        page = self.paginate_queryset(reviews_of(plan))
        return self.get_paginated_response(PlanReviewSerializer(page, many=True).data)

    @extend_schema(
        summary="One review of a plan",
        parameters=[ID, REVIEW_ID],
        responses={200: PlanReviewSerializer, **error_responses(401, 404)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"reviews/(?P<review_id>[^/]+)",
        serializer_class=PlanReviewSerializer,
    )
    def review(self, request, pk=None, review_id=None):
        review = get_review_or_404(self.get_object(), review_id)
        return Response(PlanReviewSerializer(review).data)

    @extend_schema(
        methods=["POST"],
        summary="Share a plan read-only",
        description="A new secret link that needs no sign-in; a previous link stops working.",
        parameters=[ID],
        request=None,
        responses={201: ShareLinkSerializer, **error_responses(401, 404)},
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Revoke a plan's share link",
        description="The link answers 404 from then on.",
        parameters=[ID],
        responses={204: None, **error_responses(401, 404)},
    )
    @action(detail=True, methods=["post", "delete"], serializer_class=ShareLinkSerializer)
    def share(self, request, pk=None):
        plan = self.get_object()
        if request.method == "DELETE":
            services.unshare_plan(plan=plan)
            return Response(status=status.HTTP_204_NO_CONTENT)
        plan = services.share_plan(plan=plan)
        link = {
            "url": request.build_absolute_uri(plan.get_share_url()),
            "shared_at": plan.shared_at,
        }
        return Response(ShareLinkSerializer(link).data, status=status.HTTP_201_CREATED)
