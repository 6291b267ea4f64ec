"""Two-factor set-up for tests: what an authenticator app would hold, and its current code."""

import time

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

TOTP_PERIOD = 30


class Authenticator:
    """The phone app: it knows the secret and tells the code of any moment."""

    def __init__(self, secret):
        self.secret = secret

    def code(self, *, periods_from_now=0):
        counter = int(time.time()) // TOTP_PERIOD + periods_from_now
        return format_hotp_value(hotp_value(self.secret, counter))


def enable_totp(user) -> Authenticator:
    """Turn on TOTP (and recovery codes) for `user`, as finishing the set-up page does."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return Authenticator(secret)


def recovery_codes(user) -> list[str]:
    return RecoveryCodes(user.authenticator_set.get(type="recovery_codes")).get_unused_codes()
