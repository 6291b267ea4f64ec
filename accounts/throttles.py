"""Rate limits of the API. Rates live in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].

Every endpoint has the general limits (`AnonRateThrottle`, `UserRateThrottle` and, for a view
with a `throttle_scope`, `ScopedRateThrottle`: REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]);
the auth endpoints have their own, tighter ones instead.
"""

import hashlib

from rest_framework import throttling
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class _RateFromSettings:
    scope: str | None

    def get_rate(self):
        # Read per request rather than at import (DRF's own classes keep the rates they saw at
        # import), so a changed setting takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]  # type: ignore[index]  # always set here


class AnonRateThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    """Requests of anonymous clients, per address ("anon" rate)."""


class UserRateThrottle(_RateFromSettings, throttling.UserRateThrottle):
    """Requests of a signed-in user, whatever the address ("user" rate)."""


class ScopedRateThrottle(_RateFromSettings, throttling.ScopedRateThrottle):
    """Requests to views of one `throttle_scope`, per user (the rate named by the scope)."""


class AuthRateThrottle(_RateFromSettings, SimpleRateThrottle):
    """Requests to sign-up, login and refresh per client address ("auth" rate)."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginFailureThrottle(_RateFromSettings, SimpleRateThrottle):
    """Failed logins per account, from any address ("login_failures" rate).

    Keyed on the normalised email whether or not an account has it, so being throttled says
    nothing about which accounts exist. Only failures count: `allow_request` looks at the
    history without adding to it, and the view calls `record_failure` after a wrong password.
    The web login (accounts.adapters) counts into the same history: one counter for both.

    A soft lock: the addresses the account signed in from before (`remember_address`, kept
    KNOWN_DAYS) are let through even while it is locked, so a guesser from elsewhere cannot lock
    its owner out; their wrong passwords still count.
    """

    KNOWN_DAYS = 90
    KNOWN_MAX = 20

    # Set by SimpleRateThrottle.__init__ from the rate; its stubs do not declare them.
    duration: int
    num_requests: int

    scope = "login_failures"

    def __init__(self, email: str):
        super().__init__()
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        self.key = self.cache_format % {"scope": self.scope, "ident": digest}

    def get_cache_key(self, request, view):
        return self.key

    def _recent_failures(self):
        self.now = self.timer()
        return [
            moment for moment in self.cache.get(self.key, []) if moment > self.now - self.duration
        ]

    def allow_request(self, request, view):
        self.history = self._recent_failures()
        return len(self.history) < self.num_requests or self.is_known(request)

    def _address(self, request) -> str:
        return hashlib.sha256(self.get_ident(request).encode()).hexdigest()[:32]

    def is_known(self, request) -> bool:
        """Whether this address signed in to the account before (`remember_address`)."""
        return self._address(request) in self.cache.get(f"{self.key}:known", {})

    def remember_address(self, request) -> None:
        """After a successful login: this address is the owner's."""
        known = self.cache.get(f"{self.key}:known", {})
        known[self._address(request)] = self.timer()
        newest = sorted(known.items(), key=lambda item: item[1])[-self.KNOWN_MAX :]
        self.cache.set(f"{self.key}:known", dict(newest), self.KNOWN_DAYS * 86400)

    def record_failure(self):
        self.history = [self.timer(), *self._recent_failures()]
        self.cache.set(self.key, self.history, self.duration)

    def reset(self):
        self.cache.delete(self.key)
