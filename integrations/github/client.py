"""A small client of GitHub's REST API that pages, revalidates and respects rate limits.

- Paging follows the `Link: <…>; rel="next"` header, never a page number it made up.
- `get(url, etag=…)` sends `If-None-Match`; a 304 (free on GitHub's rate limit) says nothing
  changed.
- Rate limits: a 403/429 with `Retry-After` (a secondary limit) waits that long; with
  `X-RateLimit-Remaining: 0` it waits until `X-RateLimit-Reset`; a secondary limit without
  either waits a minute, as GitHub's documentation asks. After an answer that leaves no
  requests (`X-RateLimit-Remaining: 0`) the next request waits for the reset first instead of
  being refused. A wait longer than `max_wait` raises `RateLimited`: the job reschedules itself
  rather than hold a worker.
- A 401 means the token no longer works (revoked or expired): `TokenRevoked`.
"""

import logging
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode

import requests
from django.conf import settings

from accounts.github.views import github_api_url, github_web_url

logger = logging.getLogger(__name__)

TIMEOUT = 15
SECONDARY_LIMIT_WAIT = 60
MAX_ATTEMPTS = 5
USER_AGENT = "Bakhmach-Business-Hub"


class GitHubError(Exception):
    """GitHub answered with an error we cannot do anything about now; the message says which."""


class TokenRevoked(GitHubError):
    """GitHub no longer accepts the token (revoked on GitHub, or expired)."""


class GitHubUnavailable(GitHubError):
    """GitHub did not answer, or answered 5xx: worth trying again later."""


class RateLimited(GitHubError):
    """GitHub asks us to wait longer than a job should wait in place."""

    def __init__(self, wait: float):
        super().__init__(f"GitHub's rate limit asks us to wait {wait:.0f} s.")
        self.wait = wait


@dataclass
class Page:
    items: list
    next_url: str | None
    etag: str | None
    not_modified: bool = False


class GitHubClient:
    def __init__(self, token: str, *, max_wait: float | None = None, sleep=time.sleep):
        self.api_url = github_api_url()
        self.max_wait = settings.GITHUB_MAX_WAIT_SECONDS if max_wait is None else max_wait
        self._sleep = sleep
        self._resume_at = 0.0  # no request before this time.time(): the limit is used up
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": USER_AGENT,
            }
        )

    def close(self) -> None:
        self.session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.api_url}{path}"

    def get(self, path: str, *, params=None, etag: str | None = None) -> requests.Response:
        headers = {"If-None-Match": etag} if etag else {}
        for _ in range(MAX_ATTEMPTS):
            self._wait(self._resume_at - time.time())
            try:
                response = self.session.get(
                    self.url(path), params=params, headers=headers, timeout=TIMEOUT
                )
            except requests.RequestException as exc:
                raise GitHubUnavailable(
                    f"GitHub did not answer: {exc.__class__.__name__}."
                ) from exc
            wait = _rate_limit_wait(response)
            if wait is not None:
                logger.info("GitHub rate limit: waiting %.1f s", wait)
                self._wait(wait)
                continue
            self._note_remaining(response)
            if response.status_code == 401:
                raise TokenRevoked("GitHub no longer accepts the token.")
            if response.status_code >= 500:
                raise GitHubUnavailable(f"GitHub answered {response.status_code}.")
            if response.status_code >= 400 and response.status_code != 304:
                raise GitHubError(f"GitHub answered {response.status_code}: {_message(response)}")
            return response
        raise RateLimited(SECONDARY_LIMIT_WAIT)

    def page(self, path: str, *, params=None, etag: str | None = None) -> Page:
        response = self.get(path, params=params, etag=etag)
        if response.status_code == 304:
            return Page([], None, etag, not_modified=True)
        next_link = response.links.get("next", {}).get("url")
        return Page(response.json(), next_link, response.headers.get("ETag"))

    def pages(self, path: str, *, params=None):
        """Every page of a list, following `Link` headers."""
        page = self.page(path, params=params)
        yield page
        while page.next_url:
            page = self.page(page.next_url)
            yield page

    def user(self) -> dict:
        return self.get("/user").json()

    def repositories(self) -> list[dict]:
        """The repositories the user can read: their own, collaborations and organisations'."""
        params = {"per_page": 100, "sort": "full_name"}
        return [repo for page in self.pages("/user/repos", params=params) for repo in page.items]

    def _wait(self, seconds: float) -> None:
        if seconds <= 0:
            return
        if seconds > self.max_wait:
            raise RateLimited(seconds)
        self._sleep(seconds)

    def _note_remaining(self, response) -> None:
        if response.headers.get("X-RateLimit-Remaining") == "0":
            self._resume_at = _reset_time(response) or time.time() + SECONDARY_LIMIT_WAIT


def _rate_limit_wait(response) -> float | None:
    """How long GitHub asks us to wait before the next request, if it refused this one."""
    if response.status_code not in (403, 429):
        return None
    retry_after = response.headers.get("Retry-After")
    if retry_after:
        return _seconds(retry_after)
    if response.headers.get("X-RateLimit-Remaining") == "0":
        reset = _reset_time(response)
        return max((reset or time.time()) - time.time(), 1.0)
    if "rate limit" in _message(response).lower():
        return SECONDARY_LIMIT_WAIT
    return None  # a plain 403: no access to this resource


def _seconds(retry_after: str) -> float:
    try:
        return max(float(retry_after), 0.0)
    except ValueError:
        try:  # the HTTP-date form
            return max(parsedate_to_datetime(retry_after).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            return SECONDARY_LIMIT_WAIT


def _reset_time(response) -> float | None:
    try:
        return float(response.headers["X-RateLimit-Reset"])
    except (KeyError, ValueError):
        return None


def _message(response) -> str:
    try:
        return str(response.json().get("message", ""))
    except (ValueError, AttributeError):
        return response.text[:200]


def exchange_code(*, code: str, redirect_uri: str) -> tuple[str, str]:
    """The OAuth code GitHub's redirect brought back, for (access token, granted scopes)."""
    try:
        response = requests.post(
            f"{github_web_url()}/login/oauth/access_token",
            data={
                "client_id": settings.GITHUB_INTEGRATION_CLIENT_ID,
                "client_secret": settings.GITHUB_INTEGRATION_CLIENT_SECRET,
                "code": code,
                "redirect_uri": redirect_uri,
            },
            headers={"Accept": "application/json", "User-Agent": USER_AGENT},
            timeout=TIMEOUT,
        )
        answer = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise GitHubUnavailable("GitHub did not answer; try again in a moment.") from exc
    if "access_token" not in answer:
        # GitHub answers 200 with an `error` for a wrong, expired or used code.
        raise GitHubError(answer.get("error_description") or "GitHub refused the code.")
    return answer["access_token"], answer.get("scope", "")


def authorize_url(*, redirect_uri: str, state: str) -> str:
    query = urlencode(
        {
            "client_id": settings.GITHUB_INTEGRATION_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "scope": " ".join(settings.GITHUB_INTEGRATION_SCOPES),
            "state": state,
            "allow_signup": "false",
        }
    )
    return f"{github_web_url()}/login/oauth/authorize?{query}"
