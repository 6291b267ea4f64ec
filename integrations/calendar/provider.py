"""Calendar sync as an integration provider: its state on the settings page, and how to
disconnect it. Registered with the integrations registry in the app's `ready()`."""

from . import selectors, services

NAME = "calendar"


def state(user) -> dict:
    """Connected while a feed URL or an app password exists; last synced at the last poll."""
    feed = selectors.feed_of(user)
    devices = selectors.app_passwords_of(user).count()
    connected = bool(devices) or (feed is not None and feed.is_active)
    return {
        "connected": connected,
        "state": {"feed": feed is not None and feed.is_active, "devices": devices},
        "last_sync_at": selectors.last_sync_at(user),
        "error": None,
    }


def disconnect(user) -> None:
    services.disconnect(user=user)
