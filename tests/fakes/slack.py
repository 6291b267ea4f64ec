"""A fake Slack on 127.0.0.1: the OAuth v2 consent and code exchange, the Web API methods the
app calls, response_url endpoints, and Slack's own requests to the app, signed as Slack signs.

The app is pointed at it by settings (SLACK_URL, SLACK_API_URL and the app's credentials), so
tests run every call over real HTTP. It answers like Slack: HTTP 200 with `{"ok": false,
"error": ...}` for refusals (`invalid_auth` for an unknown token, `account_inactive` for a
deactivated workspace, `channel_not_found`), 429 with Retry-After when rate limited, codes
that work once. It remembers every message posted, updated or sent to a response_url.

Towards the app it sends what Slack sends: slash commands and interactions as form posts,
events as JSON, each with X-Slack-Request-Timestamp and X-Slack-Signature (`v0=` HMAC-SHA256
of `v0:{timestamp}:{body}` with the signing secret); `post` takes a tampered signature, an old
timestamp or a recorded request to replay.
"""

import base64
import hashlib
import hmac
import itertools
import json
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from tests.fakes.http import FakeServer, QuietHandler

CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "fake-slack-client-secret"
SIGNING_SECRET = "fake-slack-signing-secret-0123456789abcdef"
APP_ID = "A0HUBAPP01"


@dataclass
class Team:
    id: str = "T0HUB00001"
    name: str = "Hub Team"
    domain: str = "hubteam"
    bot_user_id: str = "U0BOT00001"
    active: bool = True


@dataclass
class Member:
    id: str
    name: str
    team: Team = field(default_factory=Team)


@dataclass
class SignedRequest:
    """A request as the fake sent it to the app: enough to send the very same bytes again."""

    url: str
    body: bytes
    content_type: str
    timestamp: str
    signature: str


class FakeSlack(FakeServer):
    def __init__(self):
        self.lock = threading.Lock()
        super().__init__(_handler_for(self))
        self.api_url = f"{self.url}/api"
        self.reset()

    def reset(self):
        with self.lock:
            self.signed_in: Member | None = None
            self.codes: dict[str, tuple[Member, str]] = {}
            self.tokens: dict[str, Team] = {}
            self.dms: dict[str, str] = {}  # member id -> DM channel id
            self.channels: set[str] = {"C0GENERAL1"}
            self.messages: list[dict] = []  # chat.postMessage, then changed by chat.update
            self.responses: list[dict] = []  # bodies posted to response URLs
            self.calls: list[str] = []  # every Web API method called, in order
            self.refusals: dict[str, deque] = defaultdict(deque)  # method -> planned answers
            self._ts = itertools.count(1)

    # --- the state a test sets up ---------------------------------------------------------

    def sign_in(self, member: Member):
        """The person at the browser is signed in to Slack as `member`."""
        self.signed_in = member

    def rate_limit(self, method: str, *, times: int = 1, retry_after: int = 1):
        """The next `times` calls of `method` answer 429 with Retry-After."""
        with self.lock:
            self.refusals[method].extend([("ratelimited", retry_after)] * times)

    def fail(self, method: str, error: str, *, times: int = 1):
        """The next `times` calls of `method` answer `{"ok": false, "error": error}` (or an
        HTTP 500 for error="server_error")."""
        with self.lock:
            self.refusals[method].extend([(error, None)] * times)

    def deactivate(self, team: Team):
        """The workspace is deleted or its token revoked: every call answers account_inactive."""
        team.active = False

    def dm_of(self, member: Member) -> str:
        with self.lock:
            return self.dms.setdefault(member.id, f"D{member.id[1:]}")

    def messages_to(self, channel: str) -> list[dict]:
        with self.lock:
            return [message for message in self.messages if message["channel"] == channel]

    # --- what Slack sends to the app ------------------------------------------------------

    def response_url(self) -> str:
        return f"{self.url}/commands/T0HUB00001/{secrets.randbelow(10**12)}/{secrets.token_hex(12)}"

    def sign(self, body: bytes, *, timestamp: int | None = None, secret: str = SIGNING_SECRET):
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256)
        return stamp, "v0=" + digest.hexdigest()

    def post(self, request: SignedRequest, *, signature: str | None = None) -> requests.Response:
        """Send `request` (again); `signature` replaces its signature ("" sends none)."""
        signature = request.signature if signature is None else signature
        headers = {
            "Content-Type": request.content_type,
            "X-Slack-Request-Timestamp": request.timestamp,
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        if signature:
            headers["X-Slack-Signature"] = signature
        return requests.post(request.url, data=request.body, headers=headers, timeout=30)

    def signed(self, url, body: bytes, content_type: str, **signing) -> SignedRequest:
        timestamp, signature = self.sign(body, **signing)
        return SignedRequest(url, body, content_type, timestamp, signature)

    def command_request(self, app_url: str, member: Member, command: str, text: str, **signing):
        form = {
            "token": "legacy-verification-token",
            "team_id": member.team.id,
            "team_domain": member.team.domain,
            "channel_id": "C0GENERAL1",
            "channel_name": "general",
            "user_id": member.id,
            "user_name": member.name,
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "response_url": self.response_url(),
            "trigger_id": f"{time.time():.0f}.{secrets.token_hex(4)}",
        }
        body = urlencode(form).encode()
        return self.signed(
            f"{app_url}/integrations/slack/commands",
            body,
            "application/x-www-form-urlencoded",
            **signing,
        )

    def command(self, app_url: str, member: Member, command: str, text: str = ""):
        """Send a slash command as `member`; the app's answer."""
        return self.post(self.command_request(app_url, member, command, text))

    def press(self, app_url: str, member: Member, message: dict, action_id: str, value: str):
        """`member` presses the button (`action_id`, `value`) on a message the app posted."""
        payload = {
            "type": "block_actions",
            "team": {"id": member.team.id, "domain": member.team.domain},
            "user": {"id": member.id, "username": member.name, "team_id": member.team.id},
            "api_app_id": APP_ID,
            "container": {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": message["channel"],
            },
            "channel": {"id": message["channel"]},
            "message": {
                "type": "message",
                "ts": message["ts"],
                "text": message["text"],
                "blocks": message["blocks"],
            },
            "response_url": self.response_url(),
            "trigger_id": f"{time.time():.0f}.{secrets.token_hex(4)}",
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": next(
                        (
                            block.get("block_id", "")
                            for block in message["blocks"]
                            if (block.get("accessory") or {}).get("value") == value
                        ),
                        "",
                    ),
                    "value": value,
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return self.post(
            self.signed(
                f"{app_url}/integrations/slack/interactions",
                body,
                "application/x-www-form-urlencoded",
            )
        )

    def event_request(self, app_url: str, team: Team, event: dict, **signing) -> SignedRequest:
        body = json.dumps(
            {
                "token": "legacy-verification-token",
                "team_id": team.id,
                "api_app_id": APP_ID,
                "event": event,
                "type": "event_callback",
                "event_id": f"Ev{secrets.token_hex(5).upper()}",
                "event_time": int(time.time()),
            }
        ).encode()
        return self.signed(
            f"{app_url}/integrations/slack/events", body, "application/json", **signing
        )

    def event(self, app_url: str, team: Team, event: dict):
        return self.post(self.event_request(app_url, team, event))

    def uninstall(self, app_url: str, team: Team):
        """The workspace removes the app: Slack revokes the token and says so."""
        with self.lock:
            for token in [token for token, owner in self.tokens.items() if owner.id == team.id]:
                del self.tokens[token]
        return self.event(app_url, team, {"type": "app_uninstalled"})

    # --- what Slack answers ---------------------------------------------------------------

    def issue_code(self, member: Member, redirect_uri: str) -> str:
        code = f"{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"
        with self.lock:
            self.codes[code] = (member, redirect_uri)
        return code

    def oauth_access(self, authorization: str, form: dict):
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        basic = authorization == f"Basic {expected}"
        posted = form.get("client_id") == CLIENT_ID and form.get("client_secret") == CLIENT_SECRET
        if not (basic or posted):
            return {"ok": False, "error": "invalid_client_id"}
        with self.lock:
            grant = self.codes.pop(form.get("code", ""), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        member, redirect_uri = grant
        if form.get("redirect_uri", redirect_uri) != redirect_uri:
            return {"ok": False, "error": "bad_redirect_uri"}
        token = f"xoxb-{secrets.randbelow(10**11)}-{secrets.token_hex(12)}"
        with self.lock:
            self.tokens[token] = member.team
        return {
            "ok": True,
            "access_token": token,
            "token_type": "bot",
            "scope": "chat:write,commands,im:write",
            "bot_user_id": member.team.bot_user_id,
            "app_id": APP_ID,
            "team": {"id": member.team.id, "name": member.team.name},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": member.id},
        }

    def web_api(self, method: str, authorization: str, arguments: dict):
        """(HTTP status, headers, body) of a Web API call."""
        with self.lock:
            self.calls.append(method)
            planned = self.refusals[method].popleft() if self.refusals[method] else None
        if planned is not None:
            error, retry_after = planned
            if error == "ratelimited":
                return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": error}
            if error == "server_error":
                return 500, {}, {"ok": False, "error": "internal_error"}
            return 200, {}, {"ok": False, "error": error}
        scheme, _, token = authorization.partition(" ")
        with self.lock:
            team = self.tokens.get(token) if scheme == "Bearer" else None
        if team is None:
            return 200, {}, {"ok": False, "error": "invalid_auth" if token else "not_authed"}
        if not team.active:
            return 200, {}, {"ok": False, "error": "account_inactive"}
        handler = {
            "conversations.open": self._open,
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
        }.get(method)
        if handler is None:
            return 200, {}, {"ok": False, "error": "unknown_method"}
        return 200, {}, handler(arguments)

    def _open(self, arguments):
        user = arguments.get("users", "")
        if not user:
            return {"ok": False, "error": "users_list_not_supplied"}
        with self.lock:
            channel = self.dms.setdefault(user, f"D{user[1:]}")
        return {"ok": True, "channel": {"id": channel}}

    def _known(self, channel):
        with self.lock:
            return channel in self.channels or channel in self.dms.values()

    def _post_message(self, arguments):
        channel = arguments.get("channel", "")
        if not self._known(channel):
            return {"ok": False, "error": "channel_not_found"}
        if not arguments.get("text") and not arguments.get("blocks"):
            return {"ok": False, "error": "no_text"}
        ts = f"{int(time.time())}.{next(self._ts):06d}"
        message = {
            "channel": channel,
            "ts": ts,
            "text": arguments.get("text", ""),
            "blocks": arguments.get("blocks", []),
        }
        with self.lock:
            self.messages.append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _update(self, arguments):
        with self.lock:
            for message in self.messages:
                if message["channel"] == arguments.get("channel") and message[
                    "ts"
                ] == arguments.get("ts"):
                    message.update(
                        text=arguments.get("text", message["text"]),
                        blocks=arguments.get("blocks", message["blocks"]),
                    )
                    return {"ok": True, "channel": message["channel"], "ts": message["ts"]}
        return {"ok": False, "error": "message_not_found"}


def _handler_for(slack: FakeSlack):
    class Handler(QuietHandler):
        def do_GET(self):
            url = urlsplit(self.path)
            if url.path != "/oauth/v2/authorize":
                self._json(404, {"ok": False, "error": "not_found"})
                return
            params = {key: values[0] for key, values in parse_qs(url.query).items()}
            redirect_uri = params.get("redirect_uri", "")
            if params.get("client_id") != CLIENT_ID or not redirect_uri:
                self._json(400, {"ok": False, "error": "invalid_client_id"})
                return
            if slack.signed_in is None:
                answer = {"error": "access_denied"}
            else:
                answer = {"code": slack.issue_code(slack.signed_in, redirect_uri)}
            answer["state"] = params.get("state", "")
            self.send_response(302)
            self.send_header("Location", f"{redirect_uri}?{urlencode(answer)}")
            self.end_headers()

        def do_POST(self):
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            if self.headers.get("Content-Type", "").startswith("application/json"):
                arguments = json.loads(raw or "{}")
            else:
                arguments = {key: values[0] for key, values in parse_qs(raw).items()}
            authorization = self.headers.get("Authorization", "")
            if url.path.startswith("/commands/"):
                with slack.lock:
                    slack.calls.append("response_url")
                    planned = slack.refusals["response_url"]
                    refusal = planned.popleft() if planned else None
                if refusal is not None:
                    self._json(429, {"ok": False}, {"Retry-After": str(refusal[1] or 1)})
                    return
                with slack.lock:
                    slack.responses.append({"url": url.path, **arguments})
                self._json(200, {"ok": True})
            elif url.path == "/api/oauth.v2.access":
                self._json(200, slack.oauth_access(authorization, arguments))
            elif url.path.startswith("/api/"):
                status, headers, body = slack.web_api(
                    url.path.removeprefix("/api/"), authorization, arguments
                )
                self._json(status, body, headers)
            else:
                self._json(404, {"ok": False, "error": "not_found"})

    return Handler


@pytest.fixture(scope="session")
def slack_server():
    slack = FakeSlack()
    slack.start()
    yield slack
    slack.stop()


@pytest.fixture
def slack(slack_server, settings):
    """The fake Slack, reset, with the app's Slack integration pointed at it."""
    slack_server.reset()
    settings.SLACK_URL = slack_server.url
    settings.SLACK_API_URL = slack_server.api_url
    settings.SLACK_HOOKS_URL = slack_server.url
    settings.SLACK_CLIENT_ID = CLIENT_ID
    settings.SLACK_CLIENT_SECRET = CLIENT_SECRET
    settings.SLACK_SIGNING_SECRET = SIGNING_SECRET
    return slack_server
