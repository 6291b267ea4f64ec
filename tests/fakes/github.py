"""A fake GitHub on 127.0.0.1 that speaks GitHub's OAuth web flow and REST shapes.

The app is pointed at it through settings (SOCIALACCOUNT_PROVIDERS["github"]["GITHUB_URL"] and
"GITHUB_API_URL"), exactly as at a GitHub Enterprise server, so tests run the real flow over real
HTTP: the authorize redirect, the code exchange, then `/user` and `/user/emails`.

It answers like GitHub does, including its quirks: the token endpoint replies 200 with an `error`
body for a bad code, form-encoded unless the client asks for JSON; codes are single-use; the REST
API takes `Authorization: token …` or `Bearer …` and answers 401 "Bad credentials" otherwise;
`POST /applications/{client_id}/token` (basic auth) tells which OAuth app a token belongs to.

For the GitHub integration it also holds repositories with issues and pull requests and serves
`GET /user/repos` and `GET /repos/{owner}/{repo}/issues` as GitHub does: paged with `Link`
headers, an `ETag` per page (a matching `If-None-Match` answers 304, free of the rate limit),
`X-RateLimit-*` headers on every answer, a 403 once the limit is used up (until
`X-RateLimit-Reset`), and a 403 secondary rate limit with `Retry-After` on demand. Changing an
issue (`close`, `reopen`, `merge`, `unassign`, …) *sends* the webhook delivery GitHub sends, to
every hook of the repository, over HTTP and signed with the hook's secret (X-Hub-Signature-256).
"""

import base64
import datetime
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from html import escape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from tests.fakes.http import FakeServer, QuietHandler

CLIENT_ID = "Iv1.fakeclientid0001"
CLIENT_SECRET = "fake-github-client-secret"
RATE_LIMIT_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
SECONDARY_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
ERROR_DOCS = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors"


@dataclass
class GitHubUser:
    id: int
    login: str
    name: str = ""
    # (address, verified, primary) as /user/emails reports them.
    emails: list[tuple[str, bool, bool]] = field(default_factory=list)

    @property
    def public_email(self):
        return next((address for address, _, primary in self.emails if primary), None)

    def profile(self, base_url):
        return {
            "login": self.login,
            "id": self.id,
            "node_id": f"MDQ6VXNlcj{self.id}",
            "avatar_url": f"{base_url}/avatars/u/{self.id}",
            "html_url": f"{base_url}/{self.login}",
            "type": "User",
            "site_admin": False,
            "name": self.name or None,
            "email": self.public_email,
            "created_at": "2020-01-01T00:00:00Z",
        }

    def email_list(self):
        return [
            {"email": address, "verified": verified, "primary": primary, "visibility": None}
            for address, verified, primary in self.emails
        ]


@dataclass
class _Grant:
    user: GitHubUser
    redirect_uri: str | None
    scope: str = ""


@dataclass
class Issue:
    """An issue, or a pull request (`pull`), as GitHub keeps it."""

    id: int
    number: int
    title: str
    author: GitHubUser
    assignees: list[GitHubUser]
    labels: list[str]
    milestone: str | None
    milestone_due: str | None
    pull: bool
    created_at: str
    updated_at: str
    state: str = "open"
    closed_at: str | None = None
    merged_at: str | None = None


@dataclass
class Repo:
    id: int
    owner: GitHubUser
    name: str
    private: bool = False
    readers: list[GitHubUser] = field(default_factory=list)
    issues: dict[int, Issue] = field(default_factory=dict)
    # (payload URL, secret) of each webhook
    hooks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def full_name(self):
        return f"{self.owner.login}/{self.name}"


@dataclass
class Delivery:
    """A webhook delivery the fake sent, and the app's answer."""

    event: str
    delivery_id: str
    payload: dict
    status: int


class FakeGitHub(FakeServer):
    """State of the fake: who is signed in at "GitHub", issued codes and tokens."""

    def __init__(self):
        self.signed_in: GitHubUser | None = None
        self.deny_consent = False
        # Show the consent page ("Authorize …") a browser meets, instead of approving at once.
        self.ask_consent = False
        self.codes: dict[str, _Grant] = {}
        # token -> (user, client_id of the OAuth app it was issued to)
        self.tokens: dict[str, tuple[GitHubUser, str]] = {}
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self._reset_rest()
        super().__init__(_handler_for(self))
        self.api_url = f"{self.url}/api/v3"

    def reset(self):
        with self.lock:
            self.signed_in = None
            self.deny_consent = False
            self.ask_consent = False
            self.codes.clear()
            self.tokens.clear()
            self.requests.clear()
            self._reset_rest()

    def _reset_rest(self):
        self.repos: dict[str, Repo] = {}
        self.deliveries: list[Delivery] = []
        # (time.time(), path, status) of every REST API request
        self.api_calls: list[tuple[float, str, int]] = []
        self.rate_limit = 5000
        self.remaining: dict[str, int] = {}
        self.reset_at = time.time() + 3600
        self.secondary_limits = 0
        self.secondary_retry_after = 1
        self.outages = 0
        self._ids = 1000
        self._clock = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)

    def sign_in(self, user: GitHubUser):
        """The person at the browser is signed in to GitHub as `user`."""
        self.signed_in = user

    def issue_token(self, user: GitHubUser, client_id: str = CLIENT_ID) -> str:
        """A token as a native app would hold it after its own OAuth flow (by default, ours)."""
        token = f"gho_{secrets.token_urlsafe(27)}"
        with self.lock:
            self.tokens[token] = (user, client_id)
        return token

    def issue_code(self, user: GitHubUser, redirect_uri: str | None = None, scope="") -> str:
        code = secrets.token_hex(10)
        with self.lock:
            self.codes[code] = _Grant(user, redirect_uri, scope)
        return code

    def expire_codes(self):
        """GitHub's codes live ten minutes; this is the ten minutes passing."""
        with self.lock:
            self.codes.clear()

    def redeem(self, form) -> dict:
        """The token endpoint's answer to a POSTed form, as GitHub words it."""
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return _error(
                "incorrect_client_credentials",
                "The client_id and/or client_secret passed are incorrect.",
            )
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)
        if grant is None:
            return _error("bad_verification_code", "The code passed is incorrect or expired.")
        if (
            grant.redirect_uri
            and form.get("redirect_uri", grant.redirect_uri) != grant.redirect_uri
        ):
            return _error(
                "redirect_uri_mismatch",
                "The redirect_uri MUST match the registered callback URL for this application.",
            )
        token = self.issue_token(grant.user)
        scope = ",".join(grant.scope.split()) or "read:user,user:email"
        return {"access_token": token, "token_type": "bearer", "scope": scope}

    def user_for(self, authorization: str) -> GitHubUser | None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() not in ("token", "bearer"):
            return None
        with self.lock:
            user, _ = self.tokens.get(token.strip(), (None, None))
        return user

    def check_token(self, client_id: str, authorization: str, token: str):
        """POST /applications/{client_id}/token: (status, body), as GitHub answers it."""
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if client_id != CLIENT_ID or authorization != f"Basic {expected}":
            return 404, {
                "message": "Not Found",
                "documentation_url": "https://docs.github.com/rest",
            }
        with self.lock:
            user, issued_to = self.tokens.get(token, (None, None))
        if user is None or issued_to != client_id:
            return 404, {
                "message": "Not Found",
                "documentation_url": "https://docs.github.com/rest",
            }
        return 200, {
            "token": token,
            "app": {"client_id": client_id},
            "user": user.profile(self.url),
        }

    # --- Tokens, repositories, issues ------------------------------------------------------

    def revoke(self, user: GitHubUser):
        """The user revokes our app's access on GitHub: its tokens stop working."""
        with self.lock:
            for token in [t for t, (owner, _) in self.tokens.items() if owner.id == user.id]:
                del self.tokens[token]

    def _tick(self) -> str:
        self._clock += datetime.timedelta(seconds=1)
        return self._clock.strftime("%Y-%m-%dT%H:%M:%SZ")

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def add_repo(self, owner: GitHubUser, name: str, *, private=False, readers=()) -> Repo:
        with self.lock:
            repo = Repo(self._next_id(), owner, name, private, [owner, *readers])
            self.repos[repo.full_name] = repo
        return repo

    def add_issue(
        self,
        repo: Repo,
        title: str,
        *,
        author: GitHubUser,
        assignees=(),
        labels=(),
        milestone=None,
        milestone_due=None,
        pull=False,
        notify=True,
    ) -> Issue:
        """Open an issue (or a pull request); hooks hear `opened`."""
        with self.lock:
            now = self._tick()
            issue = Issue(
                id=self._next_id(),
                number=len(repo.issues) + 1,
                title=title,
                author=author,
                assignees=list(assignees),
                labels=list(labels),
                milestone=milestone,
                milestone_due=milestone_due,
                pull=pull,
                created_at=now,
                updated_at=now,
            )
            repo.issues[issue.number] = issue
        if notify:
            self._notify(repo, issue, "opened")
        return issue

    def add_issues(self, repo: Repo, count: int, *, author: GitHubUser, assignees=()):
        """Many issues at once, as a long-lived repository has them (no deliveries)."""
        for number in range(count):
            self.add_issue(
                repo, f"Issue {number + 1}", author=author, assignees=assignees, notify=False
            )

    def close(self, repo: Repo, issue: Issue):
        self._change(repo, issue, "closed", state="open", to="closed")

    def reopen(self, repo: Repo, issue: Issue):
        self._change(repo, issue, "reopened", state="closed", to="open")

    def merge(self, repo: Repo, pull: Issue):
        assert pull.pull, "only a pull request merges"
        with self.lock:
            pull.merged_at = self._clock.strftime("%Y-%m-%dT%H:%M:%SZ")
        self._change(repo, pull, "closed", state="open", to="closed")

    def retitle(self, repo: Repo, issue: Issue, title: str):
        with self.lock:
            issue.title = title
            issue.updated_at = self._tick()
        self._notify(repo, issue, "edited")

    def unassign(self, repo: Repo, issue: Issue, person: GitHubUser):
        with self.lock:
            issue.assignees = [someone for someone in issue.assignees if someone.id != person.id]
            issue.updated_at = self._tick()
        self._notify(repo, issue, "unassigned", assignee=person)

    def _change(self, repo, issue, action, *, state, to):
        with self.lock:
            assert issue.state == state, f"the issue is {issue.state}"
            issue.state = to
            issue.updated_at = self._tick()
            issue.closed_at = issue.updated_at if to == "closed" else None
        self._notify(repo, issue, action)

    # --- REST shapes --------------------------------------------------------------------------

    def repo_json(self, repo: Repo) -> dict:
        return {
            "id": repo.id,
            "node_id": f"R_{repo.id}",
            "name": repo.name,
            "full_name": repo.full_name,
            "private": repo.private,
            "owner": repo.owner.profile(self.url),
            "html_url": f"{self.url}/{repo.full_name}",
            "url": f"{self.api_url}/repos/{repo.full_name}",
        }

    def _html_url(self, repo: Repo, issue: Issue) -> str:
        kind = "pull" if issue.pull else "issues"
        return f"{self.url}/{repo.full_name}/{kind}/{issue.number}"

    def _common_json(self, repo: Repo, issue: Issue) -> dict:
        milestone = None
        if issue.milestone:
            milestone = {"number": 1, "title": issue.milestone, "due_on": issue.milestone_due}
        return {
            "number": issue.number,
            "title": issue.title,
            "state": issue.state,
            "html_url": self._html_url(repo, issue),
            "user": issue.author.profile(self.url),
            "assignee": issue.assignees[0].profile(self.url) if issue.assignees else None,
            "assignees": [person.profile(self.url) for person in issue.assignees],
            "labels": [
                {"id": abs(hash(name)) % 10**8, "name": name, "color": "ededed"}
                for name in issue.labels
            ],
            "milestone": milestone,
            "created_at": issue.created_at,
            "updated_at": issue.updated_at,
            "closed_at": issue.closed_at,
        }

    def issue_json(self, repo: Repo, issue: Issue) -> dict:
        """As `GET /repos/{owner}/{repo}/issues` and the `issues` webhook show it."""
        answer = {
            "id": issue.id,
            "node_id": f"I_{issue.id}",
            "url": f"{self.api_url}/repos/{repo.full_name}/issues/{issue.number}",
            **self._common_json(repo, issue),
            "state_reason": "completed" if issue.state == "closed" else None,
        }
        if issue.pull:
            answer["pull_request"] = {
                "url": f"{self.api_url}/repos/{repo.full_name}/pulls/{issue.number}",
                "html_url": self._html_url(repo, issue),
                "merged_at": issue.merged_at,
            }
        return answer

    def pull_json(self, repo: Repo, pull: Issue) -> dict:
        """As the `pull_request` webhook (and `GET /repos/…/pulls/{n}`) shows it."""
        return {
            "id": pull.id + 10**7,  # a pull request's own id differs from its issue's
            "node_id": f"PR_{pull.id}",
            "url": f"{self.api_url}/repos/{repo.full_name}/pulls/{pull.number}",
            **self._common_json(repo, pull),
            "merged": pull.merged_at is not None,
            "merged_at": pull.merged_at,
            "head": {
                "ref": f"topic-{pull.number}",
                "sha": hashlib.sha256(pull.title.encode()).hexdigest()[:40],
            },
            "base": {"ref": "main", "repo": self.repo_json(repo)},
        }

    def list_issues(self, repo: Repo, query: dict) -> list[dict]:
        """`GET /repos/{owner}/{repo}/issues` before paging: filtered and sorted as GitHub."""
        state = query.get("state", "open")
        issues = [i for i in repo.issues.values() if state == "all" or i.state == state]
        if "assignee" in query:
            login = query["assignee"].lower()
            issues = [i for i in issues if login in {p.login.lower() for p in i.assignees}]
        if "creator" in query:
            issues = [i for i in issues if i.author.login.lower() == query["creator"].lower()]
        if "labels" in query:
            wanted = {name.lower() for name in query["labels"].split(",")}
            issues = [i for i in issues if wanted <= {name.lower() for name in i.labels}]
        if "since" in query:
            issues = [i for i in issues if i.updated_at >= query["since"]]
        key = "created_at" if query.get("sort", "created") == "created" else "updated_at"
        issues.sort(
            key=lambda i: (getattr(i, key), i.number),
            reverse=query.get("direction", "desc") == "desc",
        )
        return [self.issue_json(repo, issue) for issue in issues]

    # --- Rate limits --------------------------------------------------------------------------

    def limit_to(self, requests_left: int, *, reset_in: float = 1.0):
        """Every token has `requests_left` requests until the limit resets `reset_in` s on."""
        with self.lock:
            self.rate_limit = requests_left
            self.remaining.clear()
            self.reset_at = time.time() + reset_in

    def refuse_next(self, count: int = 1, *, retry_after: int = 1):
        """The next `count` API requests hit a secondary rate limit (403 with Retry-After)."""
        with self.lock:
            self.secondary_limits = count
            self.secondary_retry_after = retry_after

    def break_for(self, requests_count: int):
        """The next `requests_count` API list requests answer 502, as GitHub does at times."""
        with self.lock:
            self.outages = requests_count

    def _spend(self, token: str) -> tuple[int, dict]:
        """(status, headers) of the rate limit for one request of `token`; 200 when allowed."""
        with self.lock:
            now = time.time()
            if now >= self.reset_at:
                self.remaining.clear()
                self.reset_at = now + 3600
                self.rate_limit = 5000
            remaining = self.remaining.get(token, self.rate_limit)
            status = 200
            if self.secondary_limits:
                self.secondary_limits -= 1
                status = 429  # marks a secondary limit; answered as 403
            elif remaining <= 0:
                status = 403
            else:
                remaining -= 1
                self.remaining[token] = remaining
            headers = {
                "X-RateLimit-Limit": str(self.rate_limit),
                "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": str(int(self.reset_at + 0.999)),
                "X-RateLimit-Used": str(self.rate_limit - remaining),
                "X-RateLimit-Resource": "core",
            }
            if status == 429:
                headers["Retry-After"] = str(self.secondary_retry_after)
            return status, headers

    # --- Webhooks -----------------------------------------------------------------------------

    def add_hook(self, repo: Repo, url: str, secret: str):
        """A repository webhook: GitHub pings it at once, then sends it every change."""
        repo.hooks.append((url, secret))
        zen = {"zen": "Keep it logically awesome.", "hook_id": len(repo.hooks)}
        self.send(url, "ping", zen | {"repository": self.repo_json(repo)}, secret=secret)

    def _notify(self, repo: Repo, issue: Issue, action: str, **extra):
        sender = issue.author.profile(self.url)
        if issue.pull:
            event, payload = (
                "pull_request",
                {"number": issue.number, "pull_request": self.pull_json(repo, issue)},
            )
        else:
            event, payload = "issues", {"issue": self.issue_json(repo, issue)}
        payload = {
            "action": action,
            **payload,
            "repository": self.repo_json(repo),
            "sender": sender,
        }
        for name, person in extra.items():
            payload[name] = person.profile(self.url)
        for url, secret in repo.hooks:
            self.send(url, event, payload, secret=secret)

    def send(self, url, event, payload, *, secret=None, delivery_id=None, signature=None):
        """POST one delivery as GitHub's hookshot does; `signature` overrides the real one."""
        body = json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "GitHub-Hookshot/5c0ffee",
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
            "X-GitHub-Hook-ID": "1",
        }
        if secret is not None:
            digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Hub-Signature-256"] = f"sha256={digest}"
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
        response = requests.post(url, data=body, headers=headers, timeout=30)
        self.deliveries.append(
            Delivery(event, headers["X-GitHub-Delivery"], payload, response.status_code)
        )
        return response


def _error(code, description):
    return {
        "error": code,
        "error_description": description,
        "error_uri": f"{ERROR_DOCS}#{code.replace('_', '-')}",
    }


def _handler_for(github: FakeGitHub):
    class Handler(QuietHandler):
        def do_GET(self):
            url = urlsplit(self.path)
            github.requests.append(("GET", url.path))
            path = url.path.removeprefix("/api/v3")
            if url.path == "/login/oauth/authorize":
                self._authorize(parse_qs(url.query))
            elif path == "/user":
                self._api(lambda user: user.profile(github.url))
            elif path == "/user/emails":
                self._api(lambda user: user.email_list())
            elif path == "/user/repos":
                self._rest(url, lambda user, query: self._readable(user))
            elif match := re.fullmatch(r"/repos/([^/]+/[^/]+)/issues", path):
                self._rest(url, lambda user, query: self._issues(user, match[1], query))
            else:
                self._json(
                    404,
                    {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
                )

        def do_POST(self):
            url = urlsplit(self.path)
            github.requests.append(("POST", url.path))
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            check = re.fullmatch(r"(?:/api/v3)?/applications/([^/]+)/token", url.path)
            if check:
                token = json.loads(body or "{}").get("access_token", "")
                self._json(
                    *github.check_token(check[1], self.headers.get("Authorization", ""), token)
                )
                return
            if url.path == "/login/oauth/authorize":  # the consent page's "Authorize" button
                self._authorize(parse_qs(body), consented=True)
                return
            if url.path != "/login/oauth/access_token":
                self._json(404, {"message": "Not Found"})
                return
            if self.headers.get("Content-Type", "").startswith("application/json"):
                form = json.loads(body or "{}")
            else:
                form = {key: values[0] for key, values in parse_qs(body).items()}
            answer = github.redeem(form)
            # GitHub answers 200 even for errors; the format follows the Accept header.
            if "application/json" in self.headers.get("Accept", ""):
                self._json(200, answer)
            else:
                self._send(
                    200, "application/x-www-form-urlencoded; charset=utf-8", urlencode(answer)
                )

        def _authorize(self, query, consented=False):
            params = {key: values[0] for key, values in query.items()}
            redirect_uri = params.get("redirect_uri", "")
            if params.get("client_id") != CLIENT_ID or not redirect_uri:
                self._send(404, "text/html", "<h1>404: the application is not found</h1>")
                return
            if github.ask_consent and not consented and github.signed_in is not None:
                self._consent_page(params)
                return
            if github.deny_consent or github.signed_in is None:
                answer = {
                    "error": "access_denied",
                    "error_description": "The user has denied your application access.",
                    "error_uri": f"{ERROR_DOCS}#access-denied",
                }
            else:
                scope = params.get("scope", "")
                answer = {"code": github.issue_code(github.signed_in, redirect_uri, scope)}
            if "state" in params:
                answer["state"] = params["state"]
            separator = "&" if "?" in redirect_uri else "?"
            self.send_response(302)
            self.send_header("Location", f"{redirect_uri}{separator}{urlencode(answer)}")
            self.end_headers()

        def _consent_page(self, params):
            fields = "".join(
                f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
                for name, value in params.items()
            )
            scopes = "".join(
                f"<li>{escape(scope)}</li>" for scope in params.get("scope", "").split()
            )
            page = (
                "<!DOCTYPE html><title>Authorize application</title>"
                f"<h1>Authorize Bakhmach Business Hub</h1><p>Signed in as {github.signed_in.login}"
                f"</p><p>It asks for:</p><ul>{scopes}</ul>"
                f'<form method="post" action="/login/oauth/authorize">{fields}'
                '<button type="submit">Authorize</button></form>'
            )
            self._send(200, "text/html; charset=utf-8", page)

        def _readable(self, user):
            repos = [r for r in github.repos.values() if user.id in {p.id for p in r.readers}]
            return [github.repo_json(repo) for repo in sorted(repos, key=lambda r: r.full_name)]

        def _issues(self, user, full_name, query):
            repo = github.repos.get(full_name)
            if repo is None or user.id not in {person.id for person in repo.readers}:
                return None  # GitHub hides what you cannot read: 404
            return github.list_issues(repo, query)

        def _rest(self, url, listing):
            """A paged REST list: auth, rate limit, ETag/If-None-Match, Link headers."""
            authorization = self.headers.get("Authorization", "")
            user = github.user_for(authorization)
            if user is None:
                github.api_calls.append((time.time(), url.path, 401))
                self._json(
                    401,
                    {
                        "message": "Bad credentials",
                        "documentation_url": "https://docs.github.com/rest",
                        "status": "401",
                    },
                )
                return
            with github.lock:
                outage, github.outages = github.outages > 0, max(github.outages - 1, 0)
            if outage:
                github.api_calls.append((time.time(), url.path, 502))
                self._send(502, "text/html", "<h1>502 Bad Gateway</h1>")
                return
            token = authorization.partition(" ")[2].strip()
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            page = max(int(query.pop("page", "1") or 1), 1)
            per_page = min(max(int(query.pop("per_page", "30") or 30), 1), 100)
            with github.lock:
                items = listing(user, query)
            if items is None:
                github.api_calls.append((time.time(), url.path, 404))
                self._json(
                    404,
                    {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
                )
                return
            chunk = items[(page - 1) * per_page : page * per_page]
            body = json.dumps(chunk)
            etag = f'W/"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
            links = self._links(url, query, page, per_page, len(items))
            if self.headers.get("If-None-Match") == etag:
                # Conditional requests answered 304 do not count against the rate limit.
                github.api_calls.append((time.time(), url.path, 304))
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            status, limits = github._spend(token)
            github.api_calls.append((time.time(), url.path, status))
            if status == 429:
                self._json(
                    403,
                    {
                        "message": SECONDARY_LIMIT_MESSAGE,
                        "documentation_url": f"{RATE_LIMIT_DOCS}#about-secondary-rate-limits",
                    },
                    limits,
                )
                return
            if status == 403:
                self._json(
                    403,
                    {
                        "message": f"API rate limit exceeded for user ID {user.id}.",
                        "documentation_url": RATE_LIMIT_DOCS,
                    },
                    limits,
                )
                return
            headers = {**limits, "ETag": etag}
            if links:
                headers["Link"] = links
            self._send(200, "application/json; charset=utf-8", body, headers)

        def _links(self, url, query, page, per_page, total):
            last = max((total + per_page - 1) // per_page, 1)
            base = f"{github.url}{url.path}"

            def at(number):
                return f"<{base}?{urlencode({**query, 'per_page': per_page, 'page': number})}>"

            rels = []
            if page < last:
                rels += [f'{at(page + 1)}; rel="next"', f'{at(last)}; rel="last"']
            if page > 1:
                rels += [f'{at(1)}; rel="first"', f'{at(page - 1)}; rel="prev"']
            return ", ".join(rels)

        def _api(self, render):
            user = github.user_for(self.headers.get("Authorization", ""))
            if user is None:
                self._json(
                    401,
                    {
                        "message": "Bad credentials",
                        "documentation_url": "https://docs.github.com/rest",
                        "status": "401",
                    },
                )
            else:
                self._json(200, render(user))

    return Handler


@pytest.fixture(scope="session")
def github_server():
    github = FakeGitHub()
    github.start()
    yield github
    github.stop()


@pytest.fixture
def github(github_server, settings):
    """The fake GitHub, reset, with the app's GitHub sign-in pointed at it."""
    github_server.reset()
    providers = {**settings.SOCIALACCOUNT_PROVIDERS}
    providers["github"] = {
        **providers["github"],
        "APPS": [{"client_id": CLIENT_ID, "secret": CLIENT_SECRET}],
        "GITHUB_URL": github_server.url,
        "GITHUB_API_URL": github_server.api_url,
    }
    settings.SOCIALACCOUNT_PROVIDERS = providers
    settings.GITHUB_INTEGRATION_CLIENT_ID = CLIENT_ID
    settings.GITHUB_INTEGRATION_CLIENT_SECRET = CLIENT_SECRET
    return github_server
