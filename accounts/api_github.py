"""POST /api/auth/github: a GitHub OAuth code (or GitHub access token) for the API's tokens."""

from urllib.parse import urlsplit

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, AuthenticationFailed, NotFound, ValidationError

from lib.api import error_responses

from .api import THROTTLED, TokenEndpoint
from .api_mfa import SIGNED_IN, SIGNED_IN_DESCRIPTION, signed_in_response
from .github.services import (
    GitHubAccountError,
    GitHubNotConfigured,
    GitHubSignInError,
    GitHubUnavailable,
    sign_in_with_github,
)


class GitHubLoginSerializer(serializers.Serializer):
    code = serializers.CharField(
        max_length=256, required=False, help_text="The `code` GitHub's redirect brought back."
    )
    redirect_uri = serializers.CharField(
        max_length=2048,
        required=False,
        help_text="The `redirect_uri` sent to GitHub's authorize page, if one was sent "
        "(an app's own scheme, such as `com.example.app://oauth`, is fine).",
    )
    access_token = serializers.CharField(
        max_length=512,
        required=False,
        help_text="A GitHub access token the client already holds (instead of `code`).",
    )

    def validate_redirect_uri(self, value):
        if not urlsplit(value).scheme:
            raise serializers.ValidationError("Enter an absolute URI, like `https://…/callback`.")
        return value

    def validate(self, attrs):
        if bool(attrs.get("code")) == bool(attrs.get("access_token")):
            raise serializers.ValidationError("Send either `code` or `access_token`.")
        return attrs


class GitHubUnavailableError(APIException):
    status_code = 503
    default_detail = "GitHub sign-in is unavailable."


class GitHubLoginView(TokenEndpoint):
    @extend_schema(
        tags=["auth"],
        summary="Sign in or sign up with GitHub",
        description="Exchanges a GitHub OAuth `code` (or a GitHub access token) for the API's "
        "tokens. The first use creates the account, or links the existing account whose "
        "email GitHub reports verified. GitHub's own token is not kept. " + SIGNED_IN_DESCRIPTION,
        request=GitHubLoginSerializer,
        responses={
            200: SIGNED_IN,
            400: OpenApiResponse(
                error_responses(400)[400].response,
                description="Neither or both of `code` and `access_token`; or no account can be "
                "made: GitHub shared no email, or only an unverified one another account uses.",
            ),
            401: OpenApiResponse(
                error_responses(401)[401].response,
                description="GitHub refused the code (wrong, expired, used) or the token, or "
                "the account is deactivated.",
            ),
            404: OpenApiResponse(
                error_responses(404)[404].response,
                description="GitHub sign-in is not configured on this server.",
            ),
            429: THROTTLED,
            503: OpenApiResponse(
                error_responses(401)[401].response, description="GitHub did not answer."
            ),
        },
    )
    def post(self, request):
        serializer = GitHubLoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = sign_in_with_github(request, **serializer.validated_data)
        except GitHubSignInError as exc:
            raise AuthenticationFailed(str(exc)) from None
        except GitHubAccountError as exc:
            raise ValidationError({"detail": str(exc)}) from None
        except GitHubNotConfigured as exc:
            raise NotFound(str(exc)) from None  # not a server fault: there is no such sign-in
        except GitHubUnavailable as exc:
            raise GitHubUnavailableError(str(exc)) from None
        return signed_in_response(user)
