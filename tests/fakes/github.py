"""A fake GitHub on 127.0.0.1 that speaks GitHub's OAuth web flow and REST shapes.

The app is pointed at it through settings (SOCIALACCOUNT_PROVIDERS["github"]["GITHUB_URL"] and
"GITHUB_API_URL"), exactly as at a GitHub Enterprise server, so tests run the real flow over real
HTTP: the authorize redirect, the code exchange, then `/user` and `/user/emails`.

It answers like GitHub does, including its quirks: the token endpoint replies 200 with an `error`
body for a bad code, form-encoded unless the client asks for JSON; codes are single-use; the REST
API takes `Authorization: token …` or `Bearer …` and answers 401 "Bad credentials" otherwise;
`POST /applications/{client_id}/token` (basic auth) tells which OAuth app a token belongs to.
"""

import base64
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

CLIENT_ID = "Iv1.fakeclientid0001"
CLIENT_SECRET = "fake-github-client-secret"
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


class FakeGitHub:
    """State of the fake: who is signed in at "GitHub", issued codes and tokens."""

    def __init__(self):
        self.signed_in: GitHubUser | None = None
        self.deny_consent = False
        self.codes: dict[str, _Grant] = {}
        # token -> (user, client_id of the OAuth app it was issued to)
        self.tokens: dict[str, tuple[GitHubUser, str]] = {}
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.api_url = f"{self.url}/api/v3"

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def reset(self):
        with self.lock:
            self.signed_in = None
            self.deny_consent = False
            self.codes.clear()
            self.tokens.clear()
            self.requests.clear()

    def sign_in(self, user: GitHubUser):
        """The person at the browser is signed in to GitHub as `user`."""
        self.signed_in = user

    def issue_token(self, user: GitHubUser, client_id: str = CLIENT_ID) -> str:
        """A token as a native app would hold it after its own OAuth flow (by default, ours)."""
        token = f"gho_{secrets.token_urlsafe(27)}"
        with self.lock:
            self.tokens[token] = (user, client_id)
        return token

    def issue_code(self, user: GitHubUser, redirect_uri: str | None = None) -> str:
        code = secrets.token_hex(10)
        with self.lock:
            self.codes[code] = _Grant(user, redirect_uri)
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
        return {"access_token": token, "token_type": "bearer", "scope": "read:user,user:email"}

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


def _error(code, description):
    return {
        "error": code,
        "error_description": description,
        "error_uri": f"{ERROR_DOCS}#{code.replace('_', '-')}",
    }


def _handler_for(github: FakeGitHub):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):
            pass  # keep test output quiet

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

        def _authorize(self, query):
            params = {key: values[0] for key, values in query.items()}
            redirect_uri = params.get("redirect_uri", "")
            if params.get("client_id") != CLIENT_ID or not redirect_uri:
                self._send(404, "text/html", "<h1>404: the application is not found</h1>")
                return
            if github.deny_consent or github.signed_in is None:
                answer = {
                    "error": "access_denied",
                    "error_description": "The user has denied your application access.",
                    "error_uri": f"{ERROR_DOCS}#access-denied",
                }
            else:
                answer = {"code": github.issue_code(github.signed_in, redirect_uri)}
            if "state" in params:
                answer["state"] = params["state"]
            separator = "&" if "?" in redirect_uri else "?"
            self.send_response(302)
            self.send_header("Location", f"{redirect_uri}{separator}{urlencode(answer)}")
            self.end_headers()

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

        def _json(self, status, payload):
            self._send(status, "application/json; charset=utf-8", json.dumps(payload))

        def _send(self, status, content_type, text):
            body = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

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
    return github_server
