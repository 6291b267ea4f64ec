"""The API's JWT user comes from the cache, and every change to the user takes effect at once."""

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import services
from accounts.models import User


def test_a_repeated_request_reads_no_user_from_the_database(
    api_client, user, django_assert_num_queries
):
    assert api_client.get("/api/tasks").status_code == 200

    with django_assert_num_queries(0):  # the user and the list's answer are both cached
        assert api_client.get("/api/tasks").status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        lambda user: user.mark_deleted(),
        lambda user: services.change_password(user=user, new_password="A-new-one-2026!"),
        lambda user: user.delete(),
        lambda user: User.objects.filter(pk=user.pk).delete(),  # the admin's "delete selected"
    ],
    ids=["deactivated", "new password", "deleted", "bulk deleted"],
)
def test_a_cached_user_is_refused_once_changed(api_client, user, change):
    assert api_client.get("/api/tasks").status_code == 200

    change(user)

    assert api_client.get("/api/tasks").status_code == 401


def test_an_edit_of_the_user_is_seen_by_the_next_request(api_client, user):
    assert api_client.get("/api/auth/me").json()["email"] == "owner@example.com"

    user.username = "olena"
    user.save()

    assert api_client.get("/api/auth/me").json()["username"] == "olena"


def test_a_blacklisted_refresh_token_still_refuses_refresh(user):
    refresh = RefreshToken.for_user(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {refresh.access_token}")
    assert client.get("/api/tasks").status_code == 200

    services.revoke_all_refresh_tokens(user=user)

    answer = client.post("/api/auth/refresh", {"refresh": str(refresh)}, format="json")
    assert answer.status_code == 401
