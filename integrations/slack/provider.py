"""Slack as one of the user's integrations: whether it is connected and working, and how it
is switched off. The integrations list (settings page, `GET /api/integrations`) asks these."""

from . import selectors, services

NAME = "slack"


def state(user) -> dict:
    """`{provider, connected, state, last_sync_at, error}` of the user's Slack connection."""
    link = selectors.link_of(user)
    if link is None:
        return {
            "provider": NAME,
            "connected": False,
            "state": "disconnected",
            "last_sync_at": None,
            "error": None,
        }
    workspace = link.workspace
    return {
        "provider": NAME,
        "connected": True,
        "state": "broken" if workspace.is_broken else "connected",
        "last_sync_at": selectors.last_sent_at(user),
        "error": workspace.broken_reason or None,
    }


def disconnect(user) -> None:
    services.disconnect(user=user)
