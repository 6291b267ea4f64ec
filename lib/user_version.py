"""The per-user version token: one value that changes whenever any data of the user changes.

Caches of a user's figures embed the token in their keys. Invalidating the user replaces the
token, so all their entries become unreachable at once (they expire on their own) without listing
or deleting keys. A token that is evicted or expires is simply replaced by a new one, which can
only cause a recomputation, never a stale answer. Uses only Django's cache API, so it runs on
django-redis in production and the local-memory cache in development.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

# Tokens of inactive users go away; a replaced token only makes old entries unreachable.
VERSION_TTL = 24 * 60 * 60


def _version_key(user_id) -> str:
    return f"analytics:{user_id}:version"


def _bump(user_id) -> None:
    cache.set(_version_key(user_id), uuid.uuid4().hex, VERSION_TTL)


def current_version(user_id) -> str:
    """The user's token now, created on first use."""
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
