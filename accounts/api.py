"""The accounts REST API: `/api/auth/...` (tokens) and `/api/users/{id}` (your own account)."""

from collections.abc import Sequence

from django.contrib.auth import update_session_auth_hash
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import AUTH_HEADER_TYPES
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from lib.api import error_responses

from . import mfa, selectors, services
from .api_mfa import SIGNED_IN, SIGNED_IN_DESCRIPTION, MFALoginSerializer, signed_in_response
from .serializers import (
    AuthTokensSerializer,
    LoginSerializer,
    PasswordChangeSerializer,
    RefreshSerializer,
    SignupSerializer,
    TokenPairSerializer,
    UserSerializer,
    UserSettingsSerializer,
)
from .throttles import AuthRateThrottle, LoginFailureThrottle

BAD_CREDENTIALS = "No active account found with the given credentials."

THROTTLED = OpenApiResponse(
    {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    description="Too many requests; the `Retry-After` header says how many seconds to wait.",
)
USER_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="Your id.")


class TokenEndpoint(APIView):
    """Base of the endpoints that hand out or take back tokens: open to anyone, rate-limited."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    throttle_classes: Sequence[type[BaseThrottle]] = (AuthRateThrottle,)

    def get_authenticate_header(self, request):
        # Without it DRF would turn our 401s into 403s, as no authentication class is set.
        return f'{AUTH_HEADER_TYPES[0]} realm="api"'


class SignupView(TokenEndpoint):
    @extend_schema(
        tags=["auth"],
        summary="Create an account",
        request=SignupSerializer,
        responses={201: AuthTokensSerializer, **error_responses(400), 429: THROTTLED},
    )
    def post(self, request):
        serializer = SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.create_user(**serializer.validated_data)
        tokens = services.issue_tokens(user)
        return Response(AuthTokensSerializer(tokens).data, status=status.HTTP_201_CREATED)


class LoginView(TokenEndpoint):
    @extend_schema(
        tags=["auth"],
        summary="Sign in with email and password",
        description="Wrong credentials and deleted accounts answer the same 401. After repeated "
        "failures for one email, logins for it answer 429 for a while. " + SIGNED_IN_DESCRIPTION,
        request=LoginSerializer,
        responses={200: SIGNED_IN, **error_responses(400, 401), 429: THROTTLED},
    )
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email, password = serializer.validated_data["email"], serializer.validated_data["password"]

        failures = LoginFailureThrottle(email)
        if not failures.allow_request(request, self):
            self.throttled(request, failures.wait())  # type: ignore[arg-type]  # None: unknown
        user = services.authenticate_with_password(email=email, password=password)
        if user is None:
            failures.record_failure()
            raise AuthenticationFailed(BAD_CREDENTIALS)
        failures.reset()
        failures.remember_address(request)

        return signed_in_response(user)


class MFALoginView(TokenEndpoint):
    @extend_schema(
        tags=["auth"],
        summary="Finish a two-factor login",
        description="Trades the `mfa_token` from `/api/auth/login` (or `/api/auth/github`) and a "
        "TOTP or recovery code for the token pair. A wrong code answers 401 and the same "
        "`mfa_token` may be tried again; an expired, used or forged `mfa_token` answers 401 "
        "and needs a new login. Repeated wrong codes for an account, or from an address, "
        "answer 429.",
        request=MFALoginSerializer,
        responses={
            200: OpenApiResponse(AuthTokensSerializer),
            **error_responses(400, 401),
            429: THROTTLED,
        },
    )
    def post(self, request):
        serializer = MFALoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = mfa.complete_challenge(**serializer.validated_data)
        except mfa.ChallengeInvalid:
            raise AuthenticationFailed(
                "This sign-in has expired or was already used; sign in again."
            ) from None
        except mfa.CodeIncorrect:
            raise AuthenticationFailed("Incorrect code.") from None
        except mfa.TooManyAttempts as exc:
            raise Throttled(
                wait=exc.wait, detail="Too many incorrect codes; wait a while."
            ) from None
        return Response(AuthTokensSerializer(services.issue_tokens(user)).data)


class RefreshView(TokenEndpoint):
    @extend_schema(
        tags=["auth"],
        summary="Trade a refresh token for a new pair",
        description="The refresh token rotates: the one sent is revoked and answers 401 if "
        "used again.",
        request=RefreshSerializer,
        responses={200: TokenPairSerializer, **error_responses(400, 401), 429: THROTTLED},
    )
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            tokens = services.rotate_refresh_token(raw_refresh=serializer.validated_data["refresh"])
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        return Response(TokenPairSerializer(tokens).data)


class LogoutView(TokenEndpoint):
    # The API's general limits, not the auth one: repeated logins must not block a logout.
    throttle_classes = APIView.throttle_classes

    @extend_schema(
        tags=["auth"],
        summary="Revoke a refresh token",
        request=RefreshSerializer,
        responses={204: None, **error_responses(400, 401), 429: THROTTLED},
    )
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.revoke_refresh_token(raw_refresh=serializer.validated_data["refresh"])
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeView(APIView):
    throttle_classes = (AuthRateThrottle,)

    @extend_schema(
        tags=["auth"],
        summary="Change your password",
        description="Revokes every refresh and access token of the account and ends its other "
        "browser sessions; answers a new token pair for this client.",
        request=PasswordChangeSerializer,
        responses={200: TokenPairSerializer, **error_responses(400, 401), 429: THROTTLED},
    )
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data, context={"user": request.user})
        serializer.is_valid(raise_exception=True)
        services.change_password(
            user=request.user,
            new_password=serializer.validated_data["new_password"],
            keep_session_key=request.session.session_key,
        )
        if isinstance(request.successful_authenticator, SessionAuthentication):
            # Keep this browser signed in under the new password.
            update_session_auth_hash(request, request.user)
        tokens = services.issue_tokens(request.user)
        return Response(TokenPairSerializer(tokens).data)


class MeView(APIView):
    @extend_schema(
        tags=["auth"],
        summary="The signed-in user",
        responses={200: UserSerializer, **error_responses(401)},
    )
    def get(self, request):
        return Response(UserSerializer(request.user).data)


class UserDetailView(APIView):
    def get_object(self):
        return selectors.get_account_or_404(self.request.user, self.kwargs["id"])

    @extend_schema(
        tags=["users"],
        summary="Your account",
        parameters=[USER_ID],
        responses={200: UserSerializer, **error_responses(401, 404)},
    )
    def get(self, request, id):
        return Response(UserSerializer(self.get_object()).data)

    @extend_schema(
        tags=["users"],
        summary="Replace your profile",
        description="Changing `email` needs the current `password` in the body.",
        parameters=[USER_ID],
        request=UserSerializer,
        responses={200: UserSerializer, **error_responses(400, 401, 404)},
    )
    def put(self, request, id):
        return self._update(request, partial=False)

    @extend_schema(
        tags=["users"],
        summary="Update your profile",
        description="Changing `email` needs the current `password` in the body.",
        parameters=[USER_ID],
        request=UserSerializer,
        responses={200: UserSerializer, **error_responses(400, 401, 404)},
    )
    def patch(self, request, id):
        return self._update(request, partial=True)

    def _update(self, request, *, partial):
        user = self.get_object()
        serializer = UserSerializer(user, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        user = services.update_account(user=user, **serializer.validated_data)
        return Response(UserSerializer(user).data)

    @extend_schema(
        tags=["users"],
        summary="Delete your account",
        description="The account is deactivated: its tokens and sessions stop working and it "
        "can no longer sign in.",
        parameters=[USER_ID],
        responses={204: None, **error_responses(401, 404)},
    )
    def delete(self, request, id):
        services.delete_account(user=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserSettingsView(APIView):
    def get_object(self):
        return services.settings_for(
            selectors.get_account_or_404(self.request.user, self.kwargs["id"])
        )

    @extend_schema(
        tags=["users"],
        summary="Your settings",
        parameters=[USER_ID],
        responses={200: UserSettingsSerializer, **error_responses(401, 404)},
    )
    def get(self, request, id):
        return Response(UserSettingsSerializer(self.get_object()).data)

    @extend_schema(
        tags=["users"],
        summary="Replace your settings",
        description="`timezone` is an IANA name (`Europe/Kyiv`); `language` one of the site's.",
        parameters=[USER_ID],
        request=UserSettingsSerializer,
        responses={200: UserSettingsSerializer, **error_responses(400, 401, 404)},
    )
    def put(self, request, id):
        return self._update(request, partial=False)

    @extend_schema(
        tags=["users"],
        summary="Update your settings",
        description="`timezone` is an IANA name (`Europe/Kyiv`); `language` one of the site's.",
        parameters=[USER_ID],
        request=UserSettingsSerializer,
        responses={200: UserSettingsSerializer, **error_responses(400, 401, 404)},
    )
    def patch(self, request, id):
        return self._update(request, partial=True)

    def _update(self, request, *, partial):
        user_settings = self.get_object()
        serializer = UserSettingsSerializer(user_settings, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        user_settings = services.update_settings(
            user_settings=user_settings, **serializer.validated_data
        )
        return Response(UserSettingsSerializer(user_settings).data)
