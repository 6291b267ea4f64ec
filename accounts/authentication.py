"""The API's JWT authentication, with the token's user read from the cache."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

from lib.user_version import cached_copy


class JWTAuthentication(authentication.JWTAuthentication):
    """simplejwt's authentication, whose user query (the first of most API requests, which
    also pays for the connection's checkout) is answered from the cache under the user's
    version token (`lib.user_version`): one Redis round trip, or none more than a list.

    A copy is only read while the user is unchanged since it was stored: `User.save` and
    `User.delete` invalidate it, so a deactivation or a new password (the token's revoke claim)
    takes effect at once. The token itself (signature, expiry, blacklist) is checked as ever.
    """

    def get_user(self, validated_token):
        user_id = validated_token.get(api_settings.USER_ID_CLAIM)
        if user_id is None:
            return super().get_user(validated_token)  # the InvalidToken of a claim missing
        return cached_copy(
            user_id,
            "jwt-user",
            accept=lambda user: self._accepts(user, validated_token),
            # Read (and refused, with simplejwt's own errors) from the database.
            load=lambda: super(JWTAuthentication, self).get_user(validated_token),
        )

    @staticmethod
    def _accepts(user, validated_token) -> bool:
        """simplejwt's checks of the user against the token."""
        if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            return False
        revoke = validated_token.get(api_settings.REVOKE_TOKEN_CLAIM)
        return not api_settings.CHECK_REVOKE_TOKEN or revoke == get_md5_hash_password(user.password)


class JWTScheme(SimpleJWTScheme):
    """The OpenAPI security scheme of simplejwt's authentication (`jwtAuth`), for ours."""

    target_class = "accounts.authentication.JWTAuthentication"
