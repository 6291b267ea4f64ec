"""The registry of integration providers: who they are and where a user stands with each.

A provider app registers one `Provider` in its AppConfig.ready():

    register(Provider(name="github", label="GitHub", state=..., disconnect=...,
                      template="integrations/github/settings_section.html", context=...))

The `/api/integrations` endpoints and the settings page (Settings → Integrations) list the
registered providers, in registration order: a provider appears there once its app registers.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NotRequired, TypedDict

# The generic card of a provider without its own settings partial.
DEFAULT_TEMPLATE = "integrations/provider_section.html"


class ProviderState(TypedDict):
    """Where one user stands with a provider, as `GET /api/integrations` reports it.

    `state` is one word: `disconnected`, `connected`, `syncing`, `error` (connected, but the
    last attempt failed: `error` says why) or `reconnect` (the provider no longer accepts the
    stored authorization; the user must connect again).
    """

    connected: bool
    state: str
    last_sync_at: NotRequired[datetime.datetime | None]
    error: NotRequired[str | None]


def _no_context(user) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    state: Callable[[Any], ProviderState]
    # Deletes the user's stored authorization (token, feed, passwords); a no-op if none.
    disconnect: Callable[[Any], None]
    # Its part of the settings page, and what that partial needs for a user (as `section.…`).
    template: str = DEFAULT_TEMPLATE
    context: Callable[[Any], dict[str, Any]] = _no_context


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    if _providers.get(provider.name, provider) != provider:
        raise ValueError(f"An integration provider named {provider.name!r} is registered.")
    _providers[provider.name] = provider


def providers() -> list[Provider]:
    return list(_providers.values())


def get_provider(name: str) -> Provider | None:
    return _providers.get(name)


def state_of(provider: Provider, user) -> dict[str, Any]:
    """`provider.state(user)`, complete: every key present, in the API's shape."""
    state = provider.state(user)
    return {
        "provider": provider.name,
        "connected": state["connected"],
        "state": state["state"],
        "last_sync_at": state.get("last_sync_at"),
        "error": state.get("error") or "",
    }


def section_of(provider: Provider, user) -> dict[str, Any]:
    """What the provider's part of the settings page gets as `section`."""
    return {"provider": provider, "state": state_of(provider, user)} | provider.context(user)
