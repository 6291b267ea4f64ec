"""Verifying that a request comes from Slack: its v0 signature, its age, and that it is new.

Slack signs `v0:{X-Slack-Request-Timestamp}:{raw body}` with the app's signing secret
(HMAC-SHA256) and sends `v0=<hex>` as X-Slack-Signature. A request older (or newer) than five
minutes is refused, and a signature seen before within that window is a replay.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache

MAX_AGE_SECONDS = 5 * 60


def signature(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def is_genuine(request, *, now: float | None = None) -> bool:
    """True for a request Slack signed in the last five minutes that was not seen before."""
    secret = settings.SLACK_SIGNING_SECRET
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    sent = request.headers.get("X-Slack-Signature", "")
    if not secret or not sent or not timestamp.isdigit():
        return False
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return False
    if not hmac.compare_digest(signature(secret, timestamp, request.body), sent):
        return False
    # The first to record this signature wins; a second delivery of the same bytes is refused.
    # The key outlives the window, after which the timestamp check refuses it anyway.
    return cache.add(f"slack:seen:{sent}", 1, timeout=MAX_AGE_SECONDS * 2 + 60)
