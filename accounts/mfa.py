"""The API's second sign-in step for accounts with two-factor authentication (allauth.mfa).

A proven first factor (password, GitHub) earns no tokens: it earns a short-lived signed
`mfa_token`, which POST /api/auth/login/mfa trades, with a TOTP or recovery code, for the token
pair. Codes are checked by allauth.mfa's own form, so the API shares the web's rules: a TOTP
code works once, a recovery code is used up, and failures count against allauth's
"login_failed" rate limits per account and per address (ACCOUNT_RATE_LIMITS).
"""

import secrets

from allauth.account import app_settings as account_settings
from allauth.core.internal.ratelimit import parse_rates
from allauth.mfa.base.forms import BaseAuthenticateForm
from allauth.mfa.utils import is_mfa_enabled
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from .models import User

CHALLENGE_SALT = "accounts.mfa.challenge"
CHALLENGE_MAX_AGE = 300  # seconds to type the code
USED_CHALLENGE_KEY = "accounts.mfa.used:{nonce}"


class ChallengeInvalid(Exception):
    """The mfa_token is forged, expired, used, or its account has changed since."""


class CodeIncorrect(Exception):
    """The code is wrong (or a TOTP code already used)."""


class TooManyAttempts(Exception):
    def __init__(self, wait: int):
        super().__init__("Too many incorrect codes.")
        self.wait = wait


def is_required(user: User) -> bool:
    return is_mfa_enabled(user)


def _password_fingerprint(user: User) -> str:
    # Ties a challenge to the password it was earned with: changing it voids pending challenges.
    return salted_hmac(CHALLENGE_SALT, user.password, algorithm="sha256").hexdigest()[:20]


def start_challenge(*, user: User) -> str:
    payload = {
        "user": str(user.pk),
        "pw": _password_fingerprint(user),
        "nonce": secrets.token_urlsafe(12),
    }
    return signing.dumps(payload, salt=CHALLENGE_SALT)


def complete_challenge(*, mfa_token: str, code: str) -> User:
    """The user who earned `mfa_token`, once `code` proves the second factor."""
    try:
        payload = signing.loads(mfa_token, salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        raise ChallengeInvalid from None
    used_key = USED_CHALLENGE_KEY.format(nonce=payload.get("nonce"))
    user = User.objects.filter(
        pk=payload.get("user"), is_active=True, deleted_at__isnull=True
    ).first()
    if user is None or payload.get("pw") != _password_fingerprint(user) or cache.get(used_key):
        raise ChallengeInvalid

    form = BaseAuthenticateForm(user=user, data={"code": code})
    if not form.is_valid():
        if form.has_error("code", "too_many_login_attempts"):
            raise TooManyAttempts(wait=_failure_window())
        raise CodeIncorrect
    # One challenge, one token pair: a replayed mfa_token (even with a fresh code) is refused.
    if not cache.add(used_key, True, CHALLENGE_MAX_AGE):
        raise ChallengeInvalid
    form.authenticator.record_usage()
    return user


def _failure_window() -> int:
    """Seconds until allauth's "login_failed" limits surely let a new attempt through."""
    rates = parse_rates(account_settings.RATE_LIMITS.get("login_failed"))
    return int(max((rate.duration for rate in rates), default=60))
