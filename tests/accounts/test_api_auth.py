"""/api/auth/...: signup, login, refresh, logout, me, password, and their rate limits."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from accounts.models import User, UserSettings
from accounts.services import delete_account

from .helpers import USER_FIELDS, bearer, login, refresh

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "violet-otter-harbour-91"


def signup(client, **body):
    return client.post("/api/auth/signup", body, format="json")


# --- signup ---------------------------------------------------------------------------------


def test_signup_creates_the_account_and_answers_a_working_token_pair(anon_client):
    response = signup(
        anon_client, email="New.Person@Example.COM", password=STRONG_PASSWORD, username="newbie"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"user", "access", "refresh"}
    assert set(body["user"]) == USER_FIELDS
    assert body["user"]["email"] == "New.Person@example.com"
    assert body["user"]["username"] == "newbie"
    assert body["user"]["github_connected"] is False
    user = User.objects.get(pk=body["user"]["id"])
    assert user.check_password(STRONG_PASSWORD)
    assert UserSettings.objects.filter(user=user).exists()
    assert EmailAddress.objects.get(user=user).email == "new.person@example.com"
    me = bearer(APIClient(), body["access"]).get("/api/auth/me")
    assert me.status_code == 200
    assert me.json()["id"] == str(user.pk)


def test_signup_without_username_and_with_trailing_slash(anon_client):
    response = anon_client.post(
        "/api/auth/signup/", {"email": "plain@example.com", "password": STRONG_PASSWORD}
    )

    assert response.status_code == 201
    assert response.json()["user"]["username"] is None


def test_signup_with_an_email_taken_in_another_case_is_a_field_error(anon_client, user):
    response = signup(anon_client, email=user.email.upper(), password=STRONG_PASSWORD)

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert User.objects.filter(email__iexact=user.email).count() == 1


def test_signup_with_a_username_taken_in_another_case_is_a_field_error(anon_client):
    UserFactory(username="Taken")

    response = signup(
        anon_client, email="fresh@example.com", password=STRONG_PASSWORD, username="taken"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["username"]


@pytest.mark.parametrize(
    "weak_password",
    ["short1", "password123", "12345678901234", "weak.person@example.com"],
    ids=["too-short", "common", "numeric", "like-the-email"],
)
def test_signup_with_a_weak_password_is_a_field_error(anon_client, weak_password):
    response = signup(anon_client, email="weak.person@example.com", password=weak_password)

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    assert not User.objects.filter(email="weak.person@example.com").exists()


def test_signup_needs_email_and_password(anon_client):
    response = signup(anon_client)

    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


# --- login ----------------------------------------------------------------------------------


def test_login_answers_the_user_and_a_token_pair(anon_client, user, password):
    response = login(anon_client, "  OWNER@example.com ", password)

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"user", "access", "refresh"}
    assert body["user"]["id"] == str(user.pk)
    user.refresh_from_db()
    assert user.last_login is not None
    assert bearer(APIClient(), body["access"]).get("/api/auth/me").status_code == 200


def test_wrong_password_unknown_email_and_deleted_account_all_answer_the_same_401(
    anon_client, user, other_user, password
):
    delete_account(user=other_user)

    answers = [
        login(anon_client, user.email, "not the password"),
        login(anon_client, "nobody@example.com", password),
        login(anon_client, other_user.email, password),
    ]

    assert [answer.status_code for answer in answers] == [401, 401, 401]
    assert len({answer.content for answer in answers}) == 1
    assert all(answer.headers["WWW-Authenticate"].startswith("Bearer") for answer in answers)


# --- refresh and logout ---------------------------------------------------------------------


def test_refresh_rotates_and_the_old_token_then_answers_401(anon_client, tokens):
    first = refresh(anon_client, tokens["refresh"])

    assert first.status_code == 200, first.content
    rotated = first.json()
    assert set(rotated) == {"access", "refresh"}
    assert rotated["refresh"] != tokens["refresh"]
    assert bearer(APIClient(), rotated["access"]).get("/api/auth/me").status_code == 200

    assert refresh(anon_client, tokens["refresh"]).status_code == 401
    assert refresh(anon_client, rotated["refresh"]).status_code == 200


@pytest.mark.parametrize("token", ["garbage", "a.b.c", ""], ids=["garbage", "bad-jwt", "empty"])
def test_refresh_with_an_invalid_token(anon_client, token):
    response = refresh(anon_client, token)

    assert response.status_code == (400 if token == "" else 401)


def test_an_access_token_is_no_refresh_token(anon_client, tokens):
    assert refresh(anon_client, tokens["access"]).status_code == 401


def test_logout_revokes_the_refresh_token(anon_client, tokens):
    response = anon_client.post("/api/auth/logout", {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 204
    assert refresh(anon_client, tokens["refresh"]).status_code == 401
    again = anon_client.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json")
    assert again.status_code == 401


def test_logout_needs_a_refresh_token(anon_client, tokens):
    assert anon_client.post("/api/auth/logout", {}, format="json").status_code == 400
    response = anon_client.post("/api/auth/logout", {"refresh": tokens["access"]}, format="json")
    assert response.status_code == 401


def test_refresh_of_a_deleted_account_answers_401(anon_client, user, tokens):
    delete_account(user=user)

    assert refresh(anon_client, tokens["refresh"]).status_code == 401


# --- me -------------------------------------------------------------------------------------


def test_me_answers_the_signed_in_user(api_client, user, django_assert_num_queries):
    # 1: the token's user; 2: does a GitHub account link to them.
    with django_assert_num_queries(2):
        response = api_client.get("/api/auth/me")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == USER_FIELDS
    assert body["id"] == str(user.pk)
    assert body["email"] == user.email
    assert body["github_connected"] is False


def test_me_says_when_github_is_connected(api_client, user):
    SocialAccount.objects.create(user=user, provider="github", uid="4242")

    assert api_client.get("/api/auth/me/").json()["github_connected"] is True


def test_me_works_with_the_browser_session(web_client, user):
    response = web_client.get("/api/auth/me")

    assert response.status_code == 200
    assert response.json()["id"] == str(user.pk)


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not-a-token", "Bearer"],
    ids=["none", "garbage", "empty"],
)
def test_me_without_a_valid_token_answers_401(anon_client, authorization):
    if authorization:
        anon_client.credentials(HTTP_AUTHORIZATION=authorization)

    assert anon_client.get("/api/auth/me").status_code == 401


# --- password change ------------------------------------------------------------------------


def test_password_change_revokes_every_token_and_answers_a_new_pair(
    anon_client, user, password, tokens
):
    other_device = login(APIClient(), user.email, password).json()
    client = bearer(APIClient(), tokens["access"])

    response = client.post(
        "/api/auth/password",
        {"current_password": password, "new_password": STRONG_PASSWORD},
        format="json",
    )

    assert response.status_code == 200, response.content
    fresh = response.json()
    assert set(fresh) == {"access", "refresh"}
    for old in (tokens, other_device):
        assert refresh(anon_client, old["refresh"]).status_code == 401
        assert bearer(APIClient(), old["access"]).get("/api/auth/me").status_code == 401
    assert bearer(APIClient(), fresh["access"]).get("/api/auth/me").status_code == 200
    assert refresh(anon_client, fresh["refresh"]).status_code == 200
    assert login(anon_client, user.email, password).status_code == 401
    assert login(anon_client, user.email, STRONG_PASSWORD).status_code == 200


def test_password_change_checks_the_current_and_the_new_password(api_client, user, password):
    wrong_current = api_client.post(
        "/api/auth/password",
        {"current_password": "nope", "new_password": STRONG_PASSWORD},
        format="json",
    )
    weak_new = api_client.post(
        "/api/auth/password",
        {"current_password": password, "new_password": "12345678"},
        format="json",
    )

    assert wrong_current.status_code == 400
    assert list(wrong_current.json()) == ["current_password"]
    assert weak_new.status_code == 400
    assert list(weak_new.json()) == ["new_password"]
    user.refresh_from_db()
    assert user.check_password(password)


def test_password_change_through_the_session_keeps_that_session(web_client, password):
    response = web_client.post(
        "/api/auth/password",
        {"current_password": password, "new_password": STRONG_PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert web_client.get("/api/auth/me").status_code == 200


# --- rate limits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/auth/login", {"email": "someone@example.com", "password": "x"}),
        ("/api/auth/signup", {"email": "bad"}),
        ("/api/auth/refresh", {"refresh": "garbage"}),
    ],
    ids=["login", "signup", "refresh"],
)
def test_auth_endpoints_are_rate_limited_per_client(anon_client, throttle_rates, path, body):
    throttle_rates(auth="3/min")

    answers = [anon_client.post(path, body, format="json").status_code for _ in range(3)]
    throttled = anon_client.post(path, body, format="json")

    assert 429 not in answers
    assert throttled.status_code == 429
    assert 0 < int(throttled.headers["Retry-After"]) <= 60
    forged = anon_client.post(path, body, format="json", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert forged.status_code == 429
    other_client = APIClient(REMOTE_ADDR="10.1.2.3")
    assert other_client.post(path, body, format="json").status_code != 429


def test_logins_of_one_account_are_refused_after_repeated_failures(user, password, throttle_rates):
    throttle_rates(login_failures="3/h")

    for attempt in range(3):
        # Each attempt from another address, as a distributed guesser would.
        client = APIClient(REMOTE_ADDR=f"10.0.0.{attempt + 1}")
        assert login(client, user.email, "wrong guess").status_code == 401

    blocked = login(APIClient(REMOTE_ADDR="10.0.0.9"), user.email.upper(), password)
    assert blocked.status_code == 429
    assert 3500 < int(blocked.headers["Retry-After"]) <= 3600
    assert login(APIClient(REMOTE_ADDR="10.0.0.9"), "nobody@example.com", "x").status_code == 401


def test_a_successful_login_clears_earlier_failures(anon_client, user, password, throttle_rates):
    throttle_rates(login_failures="3/h", auth="100/min")

    for _ in range(2):
        login(anon_client, user.email, "wrong guess")
    assert login(anon_client, user.email, password).status_code == 200
    for _ in range(2):
        login(anon_client, user.email, "wrong guess")

    assert login(anon_client, user.email, password).status_code == 200
