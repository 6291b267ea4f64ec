"""One per-account counter of failed logins for the web and the API, and a soft lock: the
owner's known addresses still get in while a guesser elsewhere is locked out."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from .helpers import login

pytestmark = pytest.mark.django_db


def web_login(address, email, password):
    client = Client(REMOTE_ADDR=address)
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_failures_on_the_web_and_the_api_count_together(user, password, throttle_rates):
    throttle_rates(login_failures="4/h", auth="100/min")
    for attempt in range(2):
        web_login(f"10.0.1.{attempt}", user.email, "wrong guess")
        login(APIClient(REMOTE_ADDR=f"10.0.2.{attempt}"), user.email, "wrong guess")

    api = login(APIClient(REMOTE_ADDR="10.0.3.1"), user.email, password)
    web = web_login("10.0.3.2", user.email, password)

    assert api.status_code == 429
    assert "Too many failed login attempts" in web.content.decode()
    assert web.wsgi_request.user.is_anonymous


def test_the_owner_gets_in_from_a_known_address_while_others_are_locked_out(
    user, password, throttle_rates
):
    throttle_rates(login_failures="3/h", auth="100/min")
    assert login(APIClient(REMOTE_ADDR="192.0.2.7"), user.email, password).status_code == 200
    assert web_login("192.0.2.8", user.email, password).status_code == 302
    for attempt in range(5):  # a guesser from many addresses
        login(APIClient(REMOTE_ADDR=f"203.0.113.{attempt}"), user.email, "wrong guess")

    assert login(APIClient(REMOTE_ADDR="203.0.113.99"), user.email, password).status_code == 429
    assert login(APIClient(REMOTE_ADDR="192.0.2.7"), user.email, password).status_code == 200
    assert web_login("192.0.2.8", user.email, password).status_code == 302


def test_a_guesser_on_the_web_from_ten_addresses_does_not_lock_the_owner_out(user, password):
    # The real rates: 10 failures an hour lock the account, except for its known addresses.
    assert web_login("192.0.2.8", user.email, password).status_code == 302  # the owner's
    for attempt in range(10):
        assert web_login(f"203.0.113.{attempt}", user.email, "wrong guess").status_code == 200

    guesser = web_login("203.0.113.99", user.email, password)
    owner_web = web_login("192.0.2.8", user.email, password)
    owner_api = login(APIClient(REMOTE_ADDR="192.0.2.8"), user.email, password)

    assert "Too many failed login attempts" in guesser.content.decode()
    assert guesser.wsgi_request.user.is_anonymous
    assert owner_web.status_code == 302
    assert owner_web.wsgi_request.user == user
    assert owner_api.status_code == 200
