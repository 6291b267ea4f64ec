"""Slack as one of the user's integrations (integrations.registry): whether it is connected
and working, and how it is switched off. Registered in SlackConfig.ready()."""

from integrations.registry import ProviderState

from . import selectors, services

NAME = "slack"


def state(user) -> ProviderState:
    """Where the user stands with Slack: `reconnect` once Slack refused the stored token."""
    link = selectors.link_of(user)
    if link is None:
        return {"connected": False, "state": "disconnected", "last_sync_at": None, "error": None}
    workspace = link.workspace
    return {
        "connected": True,
        "state": "reconnect" if workspace.is_broken else "connected",
        "last_sync_at": selectors.last_sent_at(user),
        "error": workspace.broken_reason or None,
    }


def disconnect(user) -> None:
    services.disconnect(user=user)
