"""Helpers for the HTML view tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

# What htmx sends with every request it makes.
HTMX = {"HTTP_HX_REQUEST": "true"}
NOT_FOUND_TEXT = "find that page"


def is_fragment(response) -> bool:
    return b"<html" not in response.content


def request_overhead(client) -> int:
    """Queries every signed-in page costs before its own work.

    The session (database backend only); the user and the user's settings come from the cache
    once the first request has read them, until the user's next write. Measured on the settings
    page, which reads nothing else; the first request also writes allauth's user-session
    record, which later requests leave alone for a while (accounts.middleware).
    """
    client.get(reverse("accounts:settings"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("accounts:settings"))
    return len(captured)
