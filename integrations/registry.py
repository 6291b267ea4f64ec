"""The registry of integration providers: who they are and where a user stands with each.

A provider app registers one `Provider` in its AppConfig.ready(); the `/api/integrations`
endpoints and the settings page list the registered ones, in registration order.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProviderState:
    """Where one user stands with a provider, as `GET /api/integrations` reports it.

    `state` is one word: `disconnected`, `connected`, `syncing`, `error` (connected, but the
    last attempt failed: `error` says why) or `reconnect` (the provider no longer accepts the
    stored authorization; the user must connect again).
    """

    connected: bool
    state: str
    last_sync_at: datetime.datetime | None = None
    error: str = ""


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    state: Callable[..., ProviderState]
    # Deletes the user's stored authorization (token) with the provider; no-op if none.
    disconnect: Callable[..., None]
    # The partial of the settings page's Integrations section, and its context for a user.
    template: str
    context: Callable[..., dict] = field(default=lambda user: {})


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    if _providers.get(provider.name, provider) is not provider:
        raise ValueError(f"An integration provider named {provider.name!r} is registered.")
    _providers[provider.name] = provider


def providers() -> list[Provider]:
    return list(_providers.values())


def get_provider(name: str) -> Provider | None:
    return _providers.get(name)
