"""`/api/integrations`: every registered provider and the signed-in user's state with it."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from lib.api import error_responses

from .registry import get_provider, providers, state_of
from .serializers import IntegrationSerializer

PROVIDER = OpenApiParameter(
    "provider", str, OpenApiParameter.PATH, description="The provider: `github`, `slack`, …"
)


def provider_or_404(name: str):
    provider = get_provider(name)
    if provider is None:
        raise NotFound("No such integration.")
    return provider


class IntegrationListView(APIView):
    @extend_schema(
        tags=["integrations"],
        summary="List the integrations and your state with each",
        responses={200: IntegrationSerializer(many=True), **error_responses(401)},
    )
    def get(self, request):
        serializer = IntegrationSerializer(
            [state_of(provider, request.user) for provider in providers()], many=True
        )
        return Response(serializer.data)


class IntegrationDetailView(APIView):
    @extend_schema(
        tags=["integrations"],
        summary="Get your state with one integration",
        parameters=[PROVIDER],
        responses={200: IntegrationSerializer, **error_responses(401, 404)},
    )
    def get(self, request, provider):
        provider = provider_or_404(provider)
        return Response(IntegrationSerializer(state_of(provider, request.user)).data)

    @extend_schema(
        tags=["integrations"],
        summary="Disconnect an integration",
        description="Deletes the stored token. What was imported (tasks) stays.",
        parameters=[PROVIDER],
        responses={204: None, **error_responses(401, 404)},
    )
    def delete(self, request, provider):
        provider_or_404(provider).disconnect(request.user)
        return Response(status=204)
