"""A Redis outage degrades instead of failing: a Redis of the test's own is stopped mid-test.

Sessions survive (cached_db), rate limits fail open, cached figures are computed from the
database, each ignored error is logged; only two-factor codes, which need the cache to stay
single-use, answer 503 with a clear message.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.mfa import start_challenge
from tasks.models import Task
from tests.accounts.helpers import login
from tests.accounts.twofactor import enable_totp

from .processes import RedisServer

pytestmark = [pytest.mark.redis, pytest.mark.django_db]


@pytest.fixture
def own_redis(tmp_path, settings):
    """The app's cache and sessions on a Redis of this test's own."""
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": server.url}}
    yield server
    server.stop()


def test_signed_in_people_keep_working_through_a_redis_outage(
    own_redis, web_client, api_client, user, caplog
):
    assert web_client.get(reverse("dashboard")).status_code == 200

    own_redis.stop()

    assert web_client.get(reverse("dashboard")).status_code == 200  # still signed in
    for number in range(6):
        added = web_client.post(reverse("tasks:quick_add"), {"title": f"Quick add {number}"})
        assert added.status_code == 302
        assert not added["Location"].startswith(reverse("account_login"))
    assert Task.objects.filter(user=user, title__startswith="Quick add").count() == 6
    for path in ("/api/tasks", "/api/pdps", "/api/analytics/summary", "/api/auth/me"):
        assert api_client.get(path).status_code == 200, path
    assert any("Exception ignored" in record.getMessage() for record in caplog.records)


def test_signing_in_works_through_a_redis_outage(own_redis, user, password, anon_client):
    own_redis.stop()

    web = Client()
    response = web.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    assert web.get(reverse("dashboard")).status_code == 200
    assert login(anon_client, user.email, password).status_code == 200


def test_two_factor_codes_answer_503_while_redis_is_down(own_redis, user, anon_client):
    phone = enable_totp(user)
    own_redis.stop()

    challenge, code = start_challenge(user=user), phone.code()

    response = anon_client.post(
        "/api/auth/login/mfa", {"mfa_token": challenge, "code": code}, format="json"
    )

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "briefly unavailable" in response.json()["detail"]

    own_redis.start()  # back: the same challenge and code go through, nothing was used up
    retried = anon_client.post(
        "/api/auth/login/mfa", {"mfa_token": challenge, "code": code}, format="json"
    )
    assert retried.status_code == 200
    assert "access" in retried.json()
