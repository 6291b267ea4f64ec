"""The few Slack Web API calls the app makes, over HTTP to SLACK_API_URL (the fake in tests).

Slack answers 200 with `{"ok": false, "error": ...}` for most failures; a rate limit is a 429
with Retry-After. The errors below sort them into what the caller does next: wait and retry,
mark the workspace broken, or give up on this message.
"""

from typing import Any

import requests
from django.conf import settings

TIMEOUT = 10  # seconds; Slack answers in well under one
# The token no longer works: the workspace is marked broken and the user told on the web.
AUTH_ERRORS = frozenset({"invalid_auth", "account_inactive", "token_revoked", "not_authed"})


class SlackError(Exception):
    """Slack refused the call; `error` is its error code."""

    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


class SlackAuthError(SlackError):
    """The token is invalid, revoked or belongs to a deactivated workspace."""


class SlackUnavailable(SlackError):
    """A rate limit or a server error: the same call may succeed later."""

    def __init__(self, error: str, retry_after: int | None = None):
        super().__init__(error)
        self.retry_after = retry_after


def _answer(response: requests.Response) -> dict[str, Any]:
    if response.status_code == 429:
        retry_after = response.headers.get("Retry-After", "")
        raise SlackUnavailable("ratelimited", int(retry_after) if retry_after.isdigit() else None)
    if response.status_code >= 500:
        raise SlackUnavailable(f"http_{response.status_code}")
    try:
        body = response.json()
    except ValueError:
        raise SlackError(f"http_{response.status_code}") from None
    if not body.get("ok"):
        error = str(body.get("error") or "unknown_error")
        if error == "ratelimited":
            raise SlackUnavailable(error)
        raise (SlackAuthError if error in AUTH_ERRORS else SlackError)(error)
    return body


def _post(url: str, **kwargs) -> requests.Response:
    try:
        return requests.post(url, timeout=TIMEOUT, **kwargs)
    except requests.RequestException as exc:
        raise SlackUnavailable(type(exc).__name__) from exc


def call(method: str, *, token: str, **arguments) -> dict[str, Any]:
    """Call a Web API method with a bot token and a JSON body; the answer's body if ok."""
    return _answer(
        _post(
            f"{settings.SLACK_API_URL}/{method}",
            json=arguments,
            headers={"Authorization": f"Bearer {token}"},
        )
    )


def oauth_access(*, code: str, redirect_uri: str) -> dict[str, Any]:
    """oauth.v2.access: trade the code from the OAuth redirect for the bot token."""
    return _answer(
        _post(
            f"{settings.SLACK_API_URL}/oauth.v2.access",
            data={"code": code, "redirect_uri": redirect_uri},
            auth=(settings.SLACK_CLIENT_ID, settings.SLACK_CLIENT_SECRET),
        )
    )


def is_response_url(url) -> bool:
    """Only Slack's own hooks are answered: a response_url elsewhere is never requested."""
    return isinstance(url, str) and url.startswith(f"{settings.SLACK_HOOKS_URL}/")


def respond(response_url: str, message: dict[str, Any]) -> None:
    """Answer a slash command or an interaction through its response_url."""
    response = _post(response_url, json=message)
    if response.status_code == 429 or response.status_code >= 500:
        _answer(response)
    if response.status_code >= 400:
        raise SlackError(f"http_{response.status_code}")
