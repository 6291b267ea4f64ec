"""Web abuse limits (allauth's ACCOUNT_RATE_LIMITS) and answers that do not reveal accounts."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TOO_MANY = "Too many failed login attempts"


def log_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


@pytest.fixture
def rate_limits(settings):
    """Override some of allauth's ACCOUNT_RATE_LIMITS for one test."""

    def override(**rates):
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, **rates}

    return override


def form_errors(response):
    return response.context["form"].non_field_errors() if response.context else []


def test_wrong_passwords_for_one_account_are_throttled_even_from_new_addresses(
    user, password, throttle_rates
):
    throttle_rates(login_failures="5/h")  # the per-account counter (accounts.throttles)
    for attempt in range(5):
        client = Client(REMOTE_ADDR=f"203.0.113.{attempt}")
        assert log_in(client, user.email, "wrong password").status_code == 200

    # The sixth try, even with the right password and from yet another address, is refused.
    response = log_in(Client(REMOTE_ADDR="198.51.100.7"), user.email, password)

    assert response.status_code == 200
    assert TOO_MANY in str(form_errors(response))
    assert "_auth_user_id" not in response.client.session


def test_unknown_and_known_emails_fail_and_throttle_alike(client, user, throttle_rates):
    throttle_rates(login_failures="5/h")
    known = log_in(Client(), user.email, "wrong password")
    unknown = log_in(Client(), "nobody@example.com", "wrong password")
    assert form_errors(known) == form_errors(unknown)

    for _ in range(5):
        log_in(Client(REMOTE_ADDR="203.0.113.50"), "nobody@example.com", "wrong password")
    throttled = log_in(Client(REMOTE_ADDR="203.0.113.51"), "nobody@example.com", "wrong password")
    assert TOO_MANY in str(form_errors(throttled))


def test_failures_from_one_address_are_throttled_across_accounts(user, password, rate_limits):
    rate_limits(login_failed="3/m/ip,5/5m/key")  # the shape of the real "10/m/ip,5/5m/key"
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(3):
        log_in(attacker, f"guess{n}@example.com", "wrong password")

    response = log_in(attacker, user.email, password)

    assert TOO_MANY in str(form_errors(response))


def test_signups_from_one_address_are_throttled(client):
    # Mismatched passwords: the attempt is refused anyway, but it still counts.
    body = {"email": "new@example.com", "password1": "a-Long-pass-1", "password2": "other-2"}
    answers = [client.post(reverse("account_signup"), body).status_code for _ in range(21)]

    assert answers[:20] == [200] * 20
    assert answers[20] == 429


def test_password_reset_answers_alike_for_known_and_unknown_emails(user, mailoutbox):
    known = Client().post(reverse("account_reset_password"), {"email": user.email})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    # Only the real owner's mailbox gets a reset link.
    links = {mail.to[0]: "/accounts/password/reset/key/" in mail.body for mail in mailoutbox}
    assert links[user.email] is True
    assert links.get("nobody@example.com", False) is False


@pytest.mark.parametrize("email", ["owner@example.com", "nobody@example.com"])
def test_password_reset_requests_are_throttled_per_email(user, email):
    answers = [
        Client(REMOTE_ADDR=f"203.0.113.{n}")
        .post(reverse("account_reset_password"), {"email": email})
        .status_code
        for n in range(6)
    ]

    assert answers == [302] * 5 + [429]


def test_a_forged_x_forwarded_for_does_not_escape_the_api_limits(anon_client, throttle_rates):
    # With no trusted proxy configured, X-Forwarded-For is the client's word: ignored.
    # A new email each time, so that only the per-address limit ("auth") applies.
    throttle_rates(auth="3/min")
    answers = [
        anon_client.post(
            "/api/auth/login",
            {"email": f"guess{n}@example.com", "password": "wrong password"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(4)
    ]

    assert answers == [401, 401, 401, 429]


def test_a_forged_x_forwarded_for_does_not_escape_the_web_limits(user, password, rate_limits):
    rate_limits(login_failed="3/m/ip,5/5m/key")
    for n in range(3):
        log_in(Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"), f"guess{n}@example.com", "wrong")

    response = log_in(Client(HTTP_X_FORWARDED_FOR="198.51.100.99"), user.email, password)

    assert TOO_MANY in str(form_errors(response))
