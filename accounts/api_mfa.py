"""Two-factor sign-in on the API: what a proven first factor answers, and the shapes involved.

The second step's view, MFALoginView, lives with the other token endpoints in accounts.api.
"""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers
from rest_framework.response import Response

from . import mfa, services
from .serializers import AuthTokensSerializer


class MFAChallengeSerializer(serializers.Serializer):
    mfa_required = serializers.BooleanField(read_only=True, default=True)
    mfa_token = serializers.CharField(
        read_only=True,
        help_text=f"Send it with a code to `/api/auth/login/mfa` within "
        f"{mfa.CHALLENGE_MAX_AGE // 60} minutes.",
    )


class MFALoginSerializer(serializers.Serializer):
    mfa_token = serializers.CharField(max_length=1024)
    code = serializers.CharField(
        max_length=64, help_text="A code from the authenticator app, or an unused recovery code."
    )


SIGNED_IN = PolymorphicProxySerializer(
    component_name="SignInResult",
    serializers=[AuthTokensSerializer, MFAChallengeSerializer],
    resource_type_field_name=None,
)
SIGNED_IN_DESCRIPTION = (
    "Answers the token pair; or, for an account with two-factor authentication, "
    '`{"mfa_required": true, "mfa_token": ...}` and no tokens until `/api/auth/login/mfa`.'
)


def signed_in_response(user) -> Response:
    """The answer to a proven first factor: tokens, or a two-factor challenge."""
    if mfa.is_required(user):
        challenge = {"mfa_required": True, "mfa_token": mfa.start_challenge(user=user)}
        return Response(MFAChallengeSerializer(challenge).data)
    return Response(AuthTokensSerializer(services.issue_tokens(user)).data)
