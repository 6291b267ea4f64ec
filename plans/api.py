from rest_framework import status, viewsets
from rest_framework.response import Response

from lib.api import crud_schema, error_responses, id_parameter

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
