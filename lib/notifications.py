"""Notifications: one message to a user, through every channel that can reach them.

A channel is a small object with a `name`, `reaches(user)` and `send(notification)`. Email is
built in; an integration (Slack, web push) registers its own from its `AppConfig.ready()` with
`register(channel)`. Senders (tasks' reminders) call `deliver()` and never name a channel, so a
new channel needs no change to them. This module imports no app: it sits below them all.
"""

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.mail import EmailMessage

from .i18n import in_language_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notification:
    """What to tell `user`: a subject line, a plain-text body and a link to act on it.

    `key` names the event (`reminder:<id>:<moment>`) for channels that can use it to drop a
    repeat, such as a message id.
    """

    user: Any
    subject: str
    body: str
    url: str = ""
    key: str = ""


class Channel(Protocol):
    name: str

    def reaches(self, user) -> bool:
        """Whether this channel can (and may) reach `user` now."""

    def send(self, notification: Notification) -> None:
        """Send, or raise: `deliver` reports the failure and tries the other channels."""


class EmailChannel:
    """Plain-text email to the user's address, unless they turned email notifications off."""

    name = "email"

    def reaches(self, user) -> bool:
        user_settings = getattr(user, "settings", None)
        wanted = getattr(user_settings, "email_notifications", True)
        return bool(user.email) and user.is_active and wanted

    def send(self, notification: Notification) -> None:
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{notification.url}"
        message = EmailMessage(notification.subject, body, to=[notification.user.email])
        if notification.key:
            message.extra_headers["X-Notification-Key"] = notification.key
        message.send()


_channels: dict[str, Channel] = {}


def register(channel: Channel) -> None:
    """Add a channel (or replace the one of the same name)."""
    _channels[channel.name] = channel


def unregister(name: str) -> None:
    _channels.pop(name, None)


def channels() -> list[Channel]:
    return list(_channels.values())


@dataclass(frozen=True)
class Delivery:
    sent: list[str]
    failed: list[str]


def deliver(notification: Notification) -> Delivery:
    """Send through every channel that reaches the user; one failing does not stop the rest.

    Channels send in the user's language (what they add themselves: a footer, a button); the
    sender builds the subject and body inside `lib.i18n.in_language_of(user)` likewise.
    """
    with in_language_of(notification.user):
        return _deliver(notification)


def _deliver(notification: Notification) -> Delivery:
    sent, failed = [], []
    for channel in channels():
        if not channel.reaches(notification.user):
            continue
        try:
            channel.send(notification)
        except Exception:
            logger.exception("The %s channel failed to send %s", channel.name, notification.key)
            failed.append(channel.name)
        else:
            sent.append(channel.name)
    return Delivery(sent=sent, failed=failed)


register(EmailChannel())
