"""What the installable app keeps on the server: replayed requests' first answers, and the
devices a user allowed to show notifications."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKeyQuerySet(models.QuerySet):
    def live(self, now):
        return self.filter(expires_at__gt=now)


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` a user sent, with the answer to the first request that carried it.

    `status` is null while that first request is still being answered. A repeat of the key
    (the offline queue replaying, twice) gets the stored answer and changes nothing.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # "POST /tasks/<id>/toggle": the same key on another request is refused, not replayed.
    request_line = models.CharField(max_length=1000)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField(default=b"", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    objects = IdempotencyKeyQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="pwa_idempotency_key_per_user"),
        ]

    def __str__(self):
        return f"{self.key} ({self.request_line})"


class PushSubscriptionQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(user=user)


class PushSubscription(models.Model):
    """A browser's Web Push subscription: where to post, and the keys to encrypt for it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # One device, one subscription: the endpoint is the device's address at its push service.
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(_("device"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PushSubscriptionQuerySet.as_manager()

    def __str__(self):
        return self.user_agent or self.endpoint[:60]

    def subscription_info(self) -> dict:
        """The shape pywebpush (and the browser's `PushSubscription.toJSON()`) uses."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}
