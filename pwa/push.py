"""Web Push: the notification channel that reaches a user's browsers (lib.notifications).

Each message is encrypted for one subscription (RFC 8291, aes128gcm) and signed with the
server's VAPID key (RFC 8292) by pywebpush; the push service delivers it to the service worker,
which shows it. A subscription the push service no longer knows (404, 410) is deleted.
"""

import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from pywebpush import WebPushException, webpush

from lib.notifications import Notification

from . import services
from .models import PushSubscription

logger = logging.getLogger(__name__)
GONE = {404, 410}
# How long the push service may hold a message for a device that is offline.
TIME_TO_LIVE = 60 * 60 * 12


class Undelivered(Exception):
    pass


class WebPushChannel:
    """Reaches a user with a subscribed device while WEBPUSH_ENABLED (the switch) is on."""

    name = "webpush"

    def reaches(self, user) -> bool:
        return (
            settings.WEBPUSH_ENABLED
            and user.is_active
            and PushSubscription.objects.owned_by(user).exists()
        )

    def send(self, notification: Notification) -> None:
        payload = json.dumps(
            {
                "title": notification.subject,
                "body": notification.body,
                "url": notification.url,
                "tag": notification.key,
            }
        )
        delivered, errors = 0, []
        for subscription in PushSubscription.objects.owned_by(notification.user):
            try:
                send_to(subscription, payload)
            except WebPushException as error:
                status = getattr(error.response, "status_code", None)
                if status in GONE:
                    services.forget_subscription(subscription=subscription)
                    continue
                errors.append(error)
            else:
                delivered += 1
        if not delivered:
            # Every device refused, or is gone: the other channels (or the next run) carry it.
            raise errors[0] if errors else Undelivered("every subscription is gone")


def send_to(subscription: PushSubscription, payload: str) -> None:
    endpoint = urlsplit(subscription.endpoint)
    webpush(
        subscription_info=subscription.subscription_info(),
        data=payload,
        vapid_private_key=settings.VAPID_PRIVATE_KEY,
        vapid_claims={
            "sub": settings.VAPID_SUBJECT,
            "aud": f"{endpoint.scheme}://{endpoint.netloc}",
        },
        ttl=TIME_TO_LIVE,
        content_encoding="aes128gcm",
        timeout=10,
    )
