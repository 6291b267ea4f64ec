"""Writes of the installable app: idempotency keys and push subscriptions."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import IdempotencyKey, PushSubscription

# The answer's headers a replay repeats (htmx reads HX-*; a plain form post follows Location).
REPLAYED_HEADERS = ("Content-Type", "Location", "HX-Trigger", "HX-Redirect", "HX-Refresh")


@dataclass(frozen=True)
class Claim:
    """`first`: this request is the first with its key and must be answered, then `record`ed.
    Otherwise `key` is the earlier one: its answer, or (status None) still being made."""

    key: IdempotencyKey
    first: bool


@transaction.atomic
def claim_idempotency_key(*, user, key: str, request_line: str) -> Claim:
    now = timezone.now()
    # Expired keys of this user go first, so the key can be used afresh after its expiry.
    IdempotencyKey.objects.filter(user=user, expires_at__lte=now).delete()
    ttl = timedelta(seconds=settings.IDEMPOTENCY_KEY_TTL)
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(
                user=user, key=key, request_line=request_line, expires_at=now + ttl
            )
    except IntegrityError:
        return Claim(key=IdempotencyKey.objects.get(user=user, key=key), first=False)
    return Claim(key=row, first=True)


@transaction.atomic
def record_answer(*, claim: Claim, status: int, headers: dict, body: bytes) -> None:
    """Keep the first answer for the replays; a server error is not kept (retrying may work)."""
    if status >= 500:
        IdempotencyKey.objects.filter(pk=claim.key.pk).delete()
        return
    kept = {name: value for name, value in headers.items() if name in REPLAYED_HEADERS}
    IdempotencyKey.objects.filter(pk=claim.key.pk).update(status=status, headers=kept, body=body)


@transaction.atomic
def release_idempotency_key(*, claim: Claim) -> None:
    """The first request failed without an answer (an exception): the key may be tried again."""
    IdempotencyKey.objects.filter(pk=claim.key.pk).delete()


@transaction.atomic
def forget_expired_keys() -> int:
    """Delete every user's expired keys (their replays would apply afresh anyway); a user's
    own expired keys also go when they send a new one, but an idle user's stay until this."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@transaction.atomic
def subscribe(*, user, endpoint: str, p256dh: str, auth: str, user_agent: str) -> PushSubscription:
    """Store (or move to `user`) the subscription of this device: one per endpoint."""
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]},
    )
    return subscription


@transaction.atomic
def unsubscribe(*, user, endpoint: str) -> bool:
    deleted, _ = PushSubscription.objects.owned_by(user).filter(endpoint=endpoint).delete()
    return bool(deleted)


@transaction.atomic
def forget_subscription(*, subscription: PushSubscription) -> None:
    """The push service said the subscription is gone (404/410): never post to it again."""
    PushSubscription.objects.filter(pk=subscription.pk).delete()
