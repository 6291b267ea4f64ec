"""Two-factor login on the API: /api/auth/login answers a challenge, /api/auth/login/mfa tokens."""

import time

import pytest
import time_machine
from django.core import signing
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts import mfa
from accounts.services import change_password, delete_account

from .helpers import bearer, login
from .twofactor import enable_totp, recovery_codes

pytestmark = pytest.mark.django_db


def second_step(client, mfa_token, code):
    return client.post("/api/auth/login/mfa", {"mfa_token": mfa_token, "code": code}, format="json")


@pytest.fixture
def phone(user):
    return enable_totp(user)


@pytest.fixture
def challenge(anon_client, user, password, phone):
    response = login(anon_client, user.email, password)
    assert response.status_code == 200, response.content
    return response.json()["mfa_token"]


def test_login_with_two_factor_answers_a_challenge_and_no_tokens(
    anon_client, user, password, phone
):
    response = login(anon_client, user.email, password)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"mfa_required", "mfa_token"}
    assert body["mfa_required"] is True
    assert not OutstandingToken.objects.exists()  # no refresh token was minted


def test_login_without_two_factor_still_answers_tokens(anon_client, user, password):
    assert set(login(anon_client, user.email, password).json()) == {"user", "access", "refresh"}


def test_the_authenticator_code_completes_the_login(anon_client, user, phone, challenge):
    response = second_step(anon_client, challenge, phone.code())

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"user", "access", "refresh"}
    assert bearer(APIClient(), body["access"]).get("/api/auth/me").json()["id"] == str(user.pk)


def test_a_recovery_code_completes_the_login_once(anon_client, user, password, challenge):
    code = recovery_codes(user)[0]

    assert second_step(anon_client, challenge, code).status_code == 200

    again = login(anon_client, user.email, password).json()["mfa_token"]
    assert second_step(anon_client, again, code).status_code == 401
    assert code not in recovery_codes(user)


def test_a_wrong_code_answers_401_and_the_challenge_stays_open(anon_client, phone, challenge):
    wrong = second_step(anon_client, challenge, "000000" if phone.code() != "000000" else "111111")

    assert wrong.status_code == 401
    assert "access" not in wrong.json()
    assert second_step(anon_client, challenge, phone.code()).status_code == 200


def test_an_authenticator_code_cannot_be_replayed(anon_client, user, password, phone, challenge):
    code = phone.code()
    assert second_step(anon_client, challenge, code).status_code == 200

    again = login(anon_client, user.email, password).json()["mfa_token"]
    assert second_step(anon_client, again, code).status_code == 401


def test_a_challenge_is_good_for_one_token_pair(anon_client, phone, challenge):
    assert second_step(anon_client, challenge, phone.code()).status_code == 200

    replay = second_step(anon_client, challenge, phone.code(periods_from_now=1))

    assert replay.status_code == 401


def test_a_challenge_expires_after_five_minutes(anon_client, phone, challenge):
    with time_machine.travel(time.time() + mfa.CHALLENGE_MAX_AGE + 1):
        response = second_step(anon_client, challenge, phone.code())

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_password_change_voids_pending_challenges(anon_client, user, phone, challenge):
    change_password(user=user, new_password="a-completely-new-passphrase-42")

    assert second_step(anon_client, challenge, phone.code()).status_code == 401


def test_a_deleted_account_cannot_finish_its_login(anon_client, user, phone, challenge):
    delete_account(user=user)

    assert second_step(anon_client, challenge, phone.code()).status_code == 401


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "not-a-token",
        # A genuine signature for the same payload, but made for another purpose (salt).
        lambda token: signing.dumps(
            signing.loads(token, salt=mfa.CHALLENGE_SALT), salt="django.core.signing"
        ),
    ],
    ids=["tampered", "garbage", "other-salt"],
)
def test_forged_challenges_answer_401(anon_client, phone, challenge, forge):
    assert second_step(anon_client, forge(challenge), phone.code()).status_code == 401


def test_a_challenge_cannot_be_pointed_at_another_account(
    anon_client, phone, challenge, other_user
):
    enable_totp(other_user)
    payload = signing.loads(challenge, salt=mfa.CHALLENGE_SALT)
    tampered = signing.dumps({**payload, "user": str(other_user.pk)}, salt="wrong-key-guess")

    assert second_step(anon_client, tampered, phone.code()).status_code == 401


def test_wrong_codes_for_one_account_are_throttled(anon_client, phone, challenge):
    wrong = "000000" if phone.code() != "000000" else "111111"
    answers = [second_step(anon_client, challenge, wrong).status_code for _ in range(5)]

    throttled = second_step(anon_client, challenge, phone.code())

    assert answers == [401] * 5
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0


def test_wrong_codes_from_one_address_are_throttled_across_accounts(
    anon_client, user, password, phone, other_user, settings, throttle_rates
):
    throttle_rates(auth="1000/min")  # the API's request limit per address is tested elsewhere
    # The shape of the real "10/m/ip,5/5m/key", smaller: 4 failures a minute per address.
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "4/m/ip,5/5m/key",
    }
    enable_totp(other_user)
    challenges = [
        login(anon_client, person.email, password).json()["mfa_token"]
        for person in (user, other_user)
    ]

    statuses = [second_step(anon_client, token, "12345678").status_code for token in challenges * 3]

    # Each account saw at most three failures, under its own limit of five: the address is
    # what is throttled, whoever the codes are for.
    assert statuses == [401, 401, 401, 401, 429, 429]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"mfa_token": "x"},
        {"code": "123456"},
        {"mfa_token": ["a"], "code": "123456"},
        {"mfa_token": "x" * 5000, "code": "123456"},
        {"mfa_token": "x", "code": "1" * 500},
    ],
)
def test_malformed_second_steps_answer_400(anon_client, body):
    assert anon_client.post("/api/auth/login/mfa", body, format="json").status_code == 400


def test_the_schema_documents_the_two_factor_login(anon_client):
    schema = anon_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert "/api/auth/login/mfa" in schema["paths"]
    assert "/api/auth/github" in schema["paths"]
    login_ok = schema["paths"]["/api/auth/login"]["post"]["responses"]["200"]
    assert "SignInResult" in str(login_ok)
    assert "MFAChallenge" in schema["components"]["schemas"]
