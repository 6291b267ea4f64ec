"""Calendar sync as an integration provider: where a user stands, and how to disconnect.

Registered with the integrations registry in the app's `ready()`.
"""

from integrations.registry import ProviderState

from . import selectors, services

NAME = "calendar"


def state(user) -> ProviderState:
    """Connected while a feed URL or an app password exists; last synced at the last poll."""
    feed = selectors.feed_of(user)
    connected = (feed is not None and feed.is_active) or selectors.app_passwords_of(user).exists()
    return {
        "connected": connected,
        "state": "connected" if connected else "disconnected",
        "last_sync_at": selectors.last_sync_at(user),
        "error": None,
    }


def disconnect(user) -> None:
    """Revoke the feed URL and every app password."""
    services.disconnect(user=user)
