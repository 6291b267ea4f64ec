from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from lib.api import error_responses

from . import selectors
from .scoring import FORMULA
from .serializers import (
    GoalAnalyticsSerializer,
    ProductivityQuerySerializer,
    ProductivitySerializer,
    SummarySerializer,
)


class SummaryView(APIView):
    @extend_schema(
        summary="Your dashboard figures",
        description="Counts of plans, goals and tasks, average goal progress, the current "
        "productivity score and the streak, in your time zone. Cached for up to 10 minutes; "
        "any change you make shows at once.",
        responses={200: SummarySerializer, **error_responses(401)},
    )
    def get(self, request):
        return Response(SummarySerializer(selectors.get_summary(user=request.user)).data)


class GoalAnalyticsView(APIView):
    @extend_schema(
        summary="Progress tracking of your goals",
        description="Per goal: its progress history, the progress expected today from its "
        "start and target dates, whether it is on track, and a projected completion date "
        "(null, with the reason, when there is not enough data).",
        responses={200: GoalAnalyticsSerializer, **error_responses(401)},
    )
    def get(self, request):
        return Response(
            GoalAnalyticsSerializer(selectors.get_goal_tracking(user=request.user)).data
        )


class ProductivityView(APIView):
    @extend_schema(
        summary="Your productivity score, its parts and a daily series",
        description=str(FORMULA),
        parameters=[ProductivityQuerySerializer],
        responses={200: ProductivitySerializer, **error_responses(400, 401)},
    )
    def get(self, request):
        query = ProductivityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        productivity = selectors.get_productivity(
            user=request.user,
            period=query.validated_data["period"],
            start=query.validated_data.get("from"),
            end=query.validated_data.get("to"),
        )
        return Response(ProductivitySerializer({**productivity, "formula": FORMULA}).data)
