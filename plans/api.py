from rest_framework import status, viewsets
from rest_framework.response import Response

from lib.api import (
    OwnedObjectMixin,
    ServiceWritesMixin,
    crud_schema,
    error_responses,
    id_parameter,
)

from . import services
from .models import Plan
from .selectors import get_plan_or_404, plans_of
from .serializers import PlanDeleteSerializer, PlanSerializer

ID = id_parameter("plan")


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
class PlanViewSet(OwnedObjectMixin, ServiceWritesMixin, viewsets.ModelViewSet):
    """Personal Development Plans of the signed-in user."""

    model = Plan
    selector = plans_of
    object_getter = get_plan_or_404
    create_service = services.create_plan
    update_service = services.update_plan
    # Deletes take the `cascade` option: see `destroy`.
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

    def written(self, plan):
        return get_plan_or_404(self.request.user, plan.pk)  # with its progress and goal count

    def destroy(self, request, *args, **kwargs):
        plan = self.get_object()
        options = PlanDeleteSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        services.delete_plan(plan=plan, cascade=options.validated_data["cascade"])
        return Response(status=status.HTTP_204_NO_CONTENT)
