"""System checks of the deployment that Django's own `check --deploy` does not make."""

from django.conf import settings
from django.core.checks import Warning

# Caches that each process keeps to itself (or that keep nothing).
UNSHARED_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


def check_shared_cache(app_configs, **kwargs):
    """The default cache holds what all processes must agree on: rate-limit counters (login
    failures, API throttles) and single-use two-factor tokens. Per process, each web worker
    would keep its own, and a limit would be as many times looser as there are workers."""
    if settings.CACHES["default"]["BACKEND"] not in UNSHARED_CACHES:
        return []
    return [
        Warning(
            "The default cache is not shared between processes, so rate limits and single-use "
            "two-factor tokens hold per process only.",
            hint="Set REDIS_URL (see .env.example).",
            id="bakhmach.W001",
        )
    ]
