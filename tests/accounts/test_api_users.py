"""/api/users/{id} and /api/users/{id}/settings: your own account only."""

import uuid

import pytest
from allauth.account.models import EmailAddress
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from accounts.models import UserSettings

from .helpers import USER_FIELDS, bearer, login, refresh

pytestmark = pytest.mark.django_db


def url(user_id, suffix=""):
    return f"/api/users/{user_id}{suffix}"


# --- profile --------------------------------------------------------------------------------


def test_get_your_own_account(api_client, user, django_assert_num_queries):
    # 1: the token's user; 2: does a GitHub account link to them.
    with django_assert_num_queries(2):
        response = api_client.get(url(user.pk))

    assert response.status_code == 200
    assert set(response.json()) == USER_FIELDS
    assert response.json()["id"] == str(user.pk)
    assert api_client.get(url(user.pk, "/")).status_code == 200
    assert api_client.get(url(str(user.pk).upper())).status_code == 200


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_another_users_id_or_a_malformed_one_is_404(api_client, other_user, method):
    for user_id in (other_user.pk, uuid.uuid4(), "not-a-uuid", "1"):
        response = getattr(api_client, method)(url(user_id), {"username": "x"}, format="json")
        assert response.status_code == 404, (user_id, response.content)
        assert response.json() == {"detail": "Not found."}
    other_user.refresh_from_db()
    assert other_user.username is None
    assert other_user.is_active


def test_signing_in_is_needed(anon_client, user):
    assert anon_client.get(url(user.pk)).status_code == 401
    assert anon_client.delete(url(user.pk)).status_code == 401


def test_patch_changes_the_username(api_client, user):
    response = api_client.patch(url(user.pk), {"username": "owner"}, format="json")

    assert response.status_code == 200
    assert response.json()["username"] == "owner"
    user.refresh_from_db()
    assert user.username == "owner"


def test_put_replaces_the_profile(api_client, user):
    user.username = "before"
    user.save()

    response = api_client.put(url(user.pk), {"email": user.email}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["username"] is None


def test_put_needs_the_email(api_client, user):
    response = api_client.put(url(user.pk), {"username": "owner"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_a_username_taken_in_another_case_is_a_field_error(api_client, user):
    UserFactory(username="Taken")

    response = api_client.patch(url(user.pk), {"username": "TAKEN"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["username"]


@pytest.mark.parametrize(
    "sent_password", [None, "", "wrong password"], ids=["none", "empty", "wrong"]
)
def test_changing_the_email_needs_the_current_password(api_client, user, sent_password):
    body = {"email": "moved@example.com"}
    if sent_password is not None:
        body["password"] = sent_password

    response = api_client.patch(url(user.pk), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["password"]
    user.refresh_from_db()
    assert user.email == "owner@example.com"


def test_changing_the_email_with_the_password(anon_client, api_client, user, password):
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)

    response = api_client.patch(
        url(user.pk), {"email": "moved@example.com", "password": password}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["email"] == "moved@example.com"
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("moved@example.com", True, False)
    assert login(anon_client, "moved@example.com", password).status_code == 200
    assert login(anon_client, "owner@example.com", password).status_code == 401


def test_sending_the_same_email_needs_no_password(api_client, user):
    response = api_client.patch(url(user.pk), {"email": user.email}, format="json")

    assert response.status_code == 200


def test_an_email_taken_in_another_case_is_a_field_error(api_client, user, other_user, password):
    response = api_client.patch(
        url(user.pk), {"email": other_user.email.upper(), "password": password}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_read_only_fields_are_ignored(api_client, user):
    response = api_client.patch(
        url(user.pk),
        {"id": str(uuid.uuid4()), "github_connected": True, "created_at": "2000-01-01T00:00:00Z"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["id"] == str(user.pk)
    assert response.json()["github_connected"] is False


# --- deletion -------------------------------------------------------------------------------


def test_delete_deactivates_the_account_and_everything_that_signs_in_to_it(
    anon_client, user, password, tokens, web_client
):
    assert web_client.get("/api/auth/me").status_code == 200
    client = bearer(APIClient(), tokens["access"])

    response = client.delete(url(user.pk))

    assert response.status_code == 204
    user.refresh_from_db()
    assert user.deleted_at is not None
    assert not user.is_active
    assert client.get("/api/auth/me").status_code == 401
    assert refresh(anon_client, tokens["refresh"]).status_code == 401
    assert login(anon_client, user.email, password).status_code == 401
    assert web_client.get("/api/auth/me").status_code in (401, 403)


# --- settings -------------------------------------------------------------------------------


def test_get_your_settings(api_client, user, django_assert_num_queries):
    # 1: the token's user; 2: their settings.
    with django_assert_num_queries(2):
        response = api_client.get(url(user.pk, "/settings"))

    assert response.status_code == 200
    assert response.json() == {
        "timezone": "UTC",
        "week_start": 0,
        "language": "en",
        "theme": "system",
        "email_notifications": True,
        "updated_at": response.json()["updated_at"],
    }


def test_put_replaces_the_settings(api_client, user):
    body = {
        "timezone": "Europe/Kyiv",
        "week_start": 6,
        "language": "uk",
        "theme": "dark",
        "email_notifications": False,
    }

    response = api_client.put(url(user.pk, "/settings/"), body, format="json")

    assert response.status_code == 200, response.content
    assert {key: response.json()[key] for key in body} == body
    stored = UserSettings.objects.get(user=user)
    assert (stored.timezone, stored.week_start, stored.language) == ("Europe/Kyiv", 6, "uk")


def test_put_needs_every_setting(api_client, user):
    response = api_client.put(url(user.pk, "/settings"), {"theme": "dark"}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"timezone", "week_start", "language", "email_notifications"}


def test_patch_changes_one_setting(api_client, user):
    response = api_client.patch(url(user.pk, "/settings"), {"theme": "light"}, format="json")

    assert response.status_code == 200
    assert response.json()["theme"] == "light"
    assert response.json()["timezone"] == "UTC"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Mars/Olympus_Mons"),
        ("timezone", ""),
        # Files of the time zone database that name no place ("localtime": the server's zone).
        ("timezone", "localtime"),
        ("timezone", "posixrules"),
        ("timezone", "Factory"),
        ("language", "xx"),
        ("week_start", 3),
        ("theme", "neon"),
    ],
)
def test_unknown_setting_values_are_field_errors(api_client, user, field, value):
    response = api_client.patch(url(user.pk, "/settings"), {field: value}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert getattr(UserSettings.objects.get(user=user), field) != value


def test_another_users_settings_are_404(api_client, other_user):
    assert api_client.get(url(other_user.pk, "/settings")).status_code == 404
    response = api_client.patch(url(other_user.pk, "/settings"), {"theme": "dark"}, format="json")
    assert response.status_code == 404
    assert UserSettings.objects.get(user=other_user).theme == "system"
