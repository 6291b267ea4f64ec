"""Per-user caching of the analytics figures (10 minutes), with cheap, robust invalidation.

Every analytics key of a user embeds that user's current *version token*. Invalidating the user
replaces the token, so all their entries become unreachable at once (they expire on their own)
without listing or deleting keys. A token that is evicted or expires is simply replaced by a new
one, which can only cause a recomputation, never a stale answer. Uses only Django's cache API,
so it runs on django-redis in production and the local-memory cache in development.
"""

import hashlib
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

ENTRY_TTL = 10 * 60
# Tokens of inactive users go away; a replaced token only makes old entries unreachable.
VERSION_TTL = 24 * 60 * 60
_MISSING = object()


def _version_key(user_id) -> str:
    return f"analytics:{user_id}:version"


def _bump(user_id) -> None:
    cache.set(_version_key(user_id), uuid.uuid4().hex, VERSION_TTL)


def _version(user_id) -> str:
    token = cache.get(_version_key(user_id))
    if token is None:
        cache.add(_version_key(user_id), uuid.uuid4().hex, VERSION_TTL)
        token = cache.get(_version_key(user_id))
    return token


def invalidate_user(user_id) -> None:
    """Make every cached figure of this user stale; call it from each write that changes them.

    It invalidates now and again when the surrounding transaction commits: the first keeps
    readers inside the same transaction (and tests) fresh, the second discards anything a
    concurrent reader computed from the not-yet-committed state in between.
    """
    _bump(user_id)
    transaction.on_commit(lambda: _bump(user_id))


def cached(user_id, name: str, params: tuple, compute: Callable[[], dict]) -> dict:
    """The cached value of `name(params)` for this user, computing and storing it on a miss."""
    digest = hashlib.blake2s(repr(params).encode(), digest_size=8).hexdigest()
    key = f"analytics:{user_id}:{_version(user_id)}:{name}:{digest}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, ENTRY_TTL)
    return value
