"""The per-user version token: one value that changes whenever any data of the user changes.

Caches of a user's figures embed the token in their keys. Invalidating the user replaces the
token, so all their entries become unreachable at once (they expire on their own) without listing
or deleting keys. A token that is evicted or expires is simply replaced by a new one, which can
only cause a recomputation, never a stale answer. Uses only Django's cache API, so it runs on
django-redis in production and the local-memory cache in development.
"""

import hashlib
import uuid
from collections.abc import Callable
from typing import Any

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


# A cached answer is unreachable once the user's token changes; this only bounds the memory
# of answers nobody asks for again.
ANSWER_TTL = 10 * 60


def answer_key(user_id, name: str, params) -> str:
    """The cache key of the user's answer `name` to a request of `params` (pairs of query
    parameter and value, in any order): the same for the same parameters in another order."""
    digest = hashlib.blake2b(repr(sorted(params)).encode(), digest_size=16).hexdigest()
    return f"answers:{user_id}:{name}:{digest}"


def versioned_get_many(user_id, keys) -> tuple[str | None, dict]:
    """The user's token and those of `keys` whose entries were built under it: one round trip
    (`cache.get_many`) when the token exists.

    Read the token before reading the data an answer is built from, and store the answer with
    `versioned_set_many(token, ...)`: a write that lands in between replaces the token, so the
    answer is never reached. A missing token is created (the data read after it is then fresh);
    None means the cache does not answer (an outage), and nothing is to be stored.
    """
    token_key = _version_key(user_id)
    found = cache.get_many([token_key, *keys])
    token = found.pop(token_key, None)
    if token is None:
        return current_version(user_id), {}
    fresh = {key: entry for key, entry in found.items() if isinstance(entry, tuple)}
    return token, {key: value for key, (built_for, value) in fresh.items() if built_for == token}


def versioned_set_many(token: str | None, entries: dict, timeout: int = ANSWER_TTL) -> None:
    """Store `entries` (key: answer) as built under the user's `token` (`versioned_get_many`)."""
    if token is not None and entries:
        cache.set_many({key: (token, value) for key, value in entries.items()}, timeout)


# Any change to a user replaces their token, after which a copy of them is never read; this bounds
# how long a copy could outlive a change whose invalidation a Redis blip lost.
COPY_TTL = 60


def cached_copy(user_id, name: str, *, accept: Callable[[Any], bool], load: Callable[[], Any]):
    """The copy `name` of the user's record(s) cached under their token when `accept(copy)`,
    else `load()`, stored for the next request unless it is None (nothing to keep)."""
    key = f"{name}:{user_id}"
    token, found = versioned_get_many(user_id, [key])
    if key in found and accept(found[key]):
        return found[key]
    copy = load()
    if copy is not None:
        versioned_set_many(token, {key: copy}, COPY_TTL)
    return copy
