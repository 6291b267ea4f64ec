from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from lib.api import error_responses, id_parameter

from . import selectors, services
from .serializers import AppPasswordSerializer, FeedSerializer, NewAppPasswordSerializer
from .views import feed_urls

ID = id_parameter("app password")


class CalendarFeedViewSet(viewsets.ViewSet):
    """The signed-in user's calendar subscription feed."""

    @extend_schema(
        summary="Make a new secret feed URL",
        description="The previous feed URL (if any) answers 404 from then on. The feed serves "
        "`text/calendar` (RFC 5545) without sign-in, with `ETag`/`Last-Modified` and 304.",
        request=None,
        responses={201: FeedSerializer, **error_responses(401)},
    )
    def create(self, request):
        token = services.rotate_feed(user=request.user)
        data = FeedSerializer({"url": feed_urls(request, token)["url"]}).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="List your app passwords",
        description="The devices that may sync over CalDAV; the passwords are never shown again.",
        responses={200: AppPasswordSerializer(many=True), **error_responses(401)},
    ),
    create=extend_schema(
        summary="Create an app password",
        description="For one device, over HTTP Basic with your email. The `password` is in this "
        "answer only.",
        request=AppPasswordSerializer,
        responses={201: NewAppPasswordSerializer, **error_responses(400, 401)},
    ),
    destroy=extend_schema(
        summary="Revoke an app password",
        parameters=[ID],
        responses={204: None, **error_responses(401, 404)},
    ),
)
class AppPasswordViewSet(viewsets.GenericViewSet):
    """App passwords for CalDAV clients (Apple Reminders, Thunderbird, DAVx⁵)."""

    serializer_class = AppPasswordSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.app_passwords_of(self.request.user).select_related("user")

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        app_password, password = services.create_app_password(
            user=request.user, name=serializer.validated_data["name"]
        )
        shown = {
            "id": app_password.pk,
            "name": app_password.name,
            "username": request.user.email,
            "password": password,
        }
        return Response(NewAppPasswordSerializer(shown).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        app_password = selectors.get_app_password_or_404(request.user, pk)
        services.revoke_app_password(app_password=app_password)
        return Response(status=status.HTTP_204_NO_CONTENT)
