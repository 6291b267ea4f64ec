from datetime import timedelta

from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import services
from accounts.tasks import flush_expired_tokens


def expire(token):
    OutstandingToken.objects.filter(jti=token["jti"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def test_expired_refresh_tokens_are_purged_with_their_blacklist_rows(user):
    live, live_revoked = RefreshToken.for_user(user), RefreshToken.for_user(user)
    expired, expired_revoked = RefreshToken.for_user(user), RefreshToken.for_user(user)
    live_revoked.blacklist()
    expired_revoked.blacklist()
    expire(expired)
    expire(expired_revoked)

    services.purge_expired_tokens()

    assert set(OutstandingToken.objects.values_list("jti", flat=True)) == {
        live["jti"],
        live_revoked["jti"],
    }
    assert list(BlacklistedToken.objects.values_list("token__jti", flat=True)) == [
        live_revoked["jti"]
    ]


def test_the_daily_task_purges_them(user):
    live, expired = RefreshToken.for_user(user), RefreshToken.for_user(user)
    expire(expired)

    flush_expired_tokens()

    assert list(OutstandingToken.objects.values_list("jti", flat=True)) == [live["jti"]]
