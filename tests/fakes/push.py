"""A fake Web Push service on 127.0.0.1, with the browsers subscribed to it.

It speaks the push service's side of RFC 8030 (a POST to the subscription's endpoint, `TTL`,
201 Created), refuses a request whose VAPID authorisation (RFC 8292: `Authorization: vapid
t=<JWT>, k=<public key>`, an ES256 JWT whose `aud` is this service's origin, `exp` under 24
hours ahead, `sub` a mailto: or https: contact) does not verify (403), and answers 410 Gone for
a subscription the browser dropped. A device is a browser's subscription: its own P-256 key pair
and auth secret, with which the fake decrypts each message (RFC 8291, aes128gcm) as the browser
would, and keeps what it read.
"""

import base64
import io
import itertools
import json
import os
import threading
import time
from dataclasses import dataclass, field

import http_ece
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core.management import call_command

from tests.fakes.http import FakeServer, QuietHandler


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Device:
    """A browser's push subscription, and the messages it decrypted."""

    id: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(repr=False)
    auth_secret: bytes = field(repr=False)
    gone: bool = False
    messages: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription_json(self) -> dict:
        """What `PushSubscription.toJSON()` gives in a browser."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return json.loads(plain)


class VapidRefused(Exception):
    pass


def verify_vapid(authorization: str, origin: str) -> dict:
    """The claims of a valid `vapid t=..., k=...` header, or VapidRefused saying why not."""
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise VapidRefused(f"scheme {scheme!r}")
    values = dict(part.strip().split("=", 1) for part in params.split(","))
    token, key = values.get("t", ""), values.get("k", "")
    try:
        header_part, claims_part, signature_part = token.split(".")
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        signature = unb64url(signature_part)
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        public_key.verify(der, f"{header_part}.{claims_part}".encode(), ec.ECDSA(hashes.SHA256()))
    except (ValueError, InvalidSignature) as error:
        raise VapidRefused(f"signature: {error!r}") from error
    header = json.loads(unb64url(header_part))
    claims = json.loads(unb64url(claims_part))
    if header.get("alg") != "ES256":
        raise VapidRefused(f"alg {header.get('alg')!r}")
    if claims.get("aud") != origin:
        raise VapidRefused(f"aud {claims.get('aud')!r}, not {origin!r}")
    if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 60 * 60:
        raise VapidRefused("exp")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise VapidRefused("sub")
    claims["k"] = key
    return claims


class FakePushService(FakeServer):
    def __init__(self):
        service = self

        class Handler(PushHandler):
            fake = service

        super().__init__(Handler)
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.devices: dict[str, Device] = {}
            self.refusals: list[str] = []
            self.ids = itertools.count(1)
            # The server's VAPID public key, which browsers pass to pushManager.subscribe():
            # the service accepts messages for their subscriptions signed by that key only.
            self.application_server_key = ""

    def subscribe(self) -> Device:
        """A new browser subscription (what `pushManager.subscribe()` makes)."""
        with self.lock:
            device_id = f"d{next(self.ids)}"
        device = Device(
            id=device_id,
            endpoint=f"{self.url}/push/{device_id}",
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=os.urandom(16),
        )
        self.devices[device_id] = device
        return device


class PushHandler(QuietHandler):
    fake: FakePushService

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        device = self.fake.devices.get(self.path.removeprefix("/push/"))
        if device is None or device.gone:
            return self._json(410, {"reason": "unsubscribed or expired"})
        try:
            claims = verify_vapid(self.headers.get("Authorization", ""), self.fake.url)
        except VapidRefused as error:
            self.fake.refusals.append(str(error))
            return self._json(403, {"reason": f"invalid VAPID: {error}"})
        if claims["k"] != self.fake.application_server_key:
            self.fake.refusals.append("key differs from the subscription's")
            return self._json(403, {"reason": "VAPID key differs from the subscription's"})
        if self.headers.get("Content-Encoding") != "aes128gcm" or "TTL" not in self.headers:
            self.fake.refusals.append("encoding or TTL")
            return self._json(400, {"reason": "Content-Encoding aes128gcm and TTL required"})
        device.claims.append(claims)
        device.messages.append(device.decrypt(body))
        self.send_response(201)
        self.send_header("Location", f"{self.fake.url}/messages/{len(device.messages)}")
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="session")
def push_server():
    server = FakePushService()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def push(push_server, settings):
    """The fake push service, reset, and web push on with a key pair from generate_vapid_keys."""
    out = io.StringIO()
    call_command("generate_vapid_keys", stdout=out)
    keys = dict(line.split("=", 1) for line in out.getvalue().split())
    settings.VAPID_PUBLIC_KEY = keys["VAPID_PUBLIC_KEY"]
    settings.VAPID_PRIVATE_KEY = keys["VAPID_PRIVATE_KEY"]
    settings.VAPID_SUBJECT = "mailto:ops@example.com"
    settings.WEBPUSH_ENABLED = True
    push_server.reset()
    push_server.application_server_key = settings.VAPID_PUBLIC_KEY
    return push_server
