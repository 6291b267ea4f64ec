"""Per-user caching of the analytics figures (10 minutes).

Every key embeds the user's version token (`lib.user_version`), so any write that calls
`invalidate_user` makes all the user's cached figures unreachable at once.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache

from lib.user_version import current_version

ENTRY_TTL = 10 * 60
_MISSING = object()


def cached(user_id, name: str, params: tuple, compute: Callable[[], dict]) -> dict:
    """The cached value of `name(params)` for this user, computing and storing it on a miss."""
    digest = hashlib.blake2s(repr(params).encode(), digest_size=8).hexdigest()
    key = f"analytics:{user_id}:{current_version(user_id)}:{name}:{digest}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, ENTRY_TTL)
    return value
