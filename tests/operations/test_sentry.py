"""Errors reach Sentry (a fake one on 127.0.0.1 taking real envelopes), with no personal data."""

import pytest
import sentry_sdk
from django.test import Client

from lib.sentry import init as init_sentry
from tests.fakes.sentry import fake_sentry  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporting_to(fake_sentry, settings):  # noqa: F811
    settings.ROOT_URLCONF = "tests.operations.crash_urls"
    init_sentry(dsn=fake_sentry.dsn, environment="test")
    yield fake_sentry
    sentry_sdk.init(dsn=None)  # reporting off again for the rest of the suite


def test_a_server_error_reaches_sentry_scrubbed_of_personal_data(reporting_to, user):
    browser = Client(raise_request_exception=False)
    browser.force_login(user)
    session = browser.cookies["sessionid"].value

    response = browser.get(
        "/crash?email=owner%40example.com&token=query-secret",
        HTTP_AUTHORIZATION="Bearer header-secret",
        HTTP_X_REQUEST_ID="trace-sentry-1",
    )
    sentry_sdk.flush(timeout=10)

    assert response.status_code == 500
    assert reporting_to.received.wait(10)
    [event] = reporting_to.events()
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["tags"]["request_id"] == "trace-sentry-1"
    assert "email" not in event.get("user", {})
    envelope = b"".join(reporting_to.raw)
    for secret in (b"header-secret", b"query-secret", session.encode(), user.email.encode()):
        assert secret not in envelope
