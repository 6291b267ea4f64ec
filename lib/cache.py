"""The shared cache's behaviour during a Redis outage, and whether it answers right now."""

from django.core.cache import cache
from django_redis.cache import RedisCache as BaseRedisCache


class RedisCache(BaseRedisCache):
    """django-redis's cache, which (with IGNORE_EXCEPTIONS) turns a Redis outage into misses
    and dropped writes, logging each. Its `add` then answers "added": the locks built on it
    (allauth's rate limits) fail open, instead of waiting a second and refusing every login.
    """

    def add(self, *args, **kwargs):
        added = super().add(*args, **kwargs)
        return True if added is None else added  # None: the connection failed


def reachable() -> bool:
    """True when the default cache answers now. Other caches than django-redis's are
    in-process and always answer."""
    client = getattr(cache, "client", None)
    if client is None or not hasattr(client, "get_client"):
        return True
    try:
        return bool(client.get_client().ping())
    except Exception:  # any connection error: it does not answer
        return False
