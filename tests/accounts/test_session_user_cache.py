"""A page's signed-in user and their settings come from the cache, and a copy is only used where
Django's own session check would accept the same user."""

import pytest
from django.contrib import auth
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.factories import UserFactory
from accounts.models import User
from lib.user_version import invalidate_user
from tests.web import request_overhead

SETTINGS_PAGE = reverse("accounts:settings")
DASHBOARD = reverse("dashboard")


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def is_signed_out(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_a_repeated_page_reads_neither_the_user_nor_their_settings(web_client, user):
    cached = request_overhead(web_client)  # the second request: the copy is cached

    invalidate_user(user.pk)  # as after any write of the user's

    assert queries_of(web_client, SETTINGS_PAGE) == cached + 2  # the user, their settings
    assert queries_of(web_client, SETTINGS_PAGE) == cached


@pytest.mark.parametrize(
    "change",
    [
        lambda user: user.mark_deleted(),
        lambda user: services.change_password(user=user, new_password="A-new-one-2026!"),
        lambda user: (user.set_password("Set-by-an-operator-2026"), user.save()),
        lambda user: user.delete(),
        lambda user: User.objects.filter(pk=user.pk).delete(),  # the admin's "delete selected"
    ],
    ids=["deactivated", "new password", "password set elsewhere", "deleted", "bulk deleted"],
)
def test_a_cached_user_is_signed_out_once_changed(web_client, user, change):
    assert web_client.get(DASHBOARD).status_code == 200

    change(user)

    assert is_signed_out(web_client.get(DASHBOARD))


def test_a_session_whose_hash_does_not_match_is_refused_despite_a_cached_copy(web_client):
    assert web_client.get(DASHBOARD).status_code == 200  # the copy is cached
    session = web_client.session
    session[auth.HASH_SESSION_KEY] = "0" * 64
    session.save()

    assert is_signed_out(web_client.get(DASHBOARD))
    assert is_signed_out(web_client.get(DASHBOARD))  # Django flushed the session


def test_a_session_of_a_backend_no_longer_configured_is_refused(web_client):
    assert web_client.get(DASHBOARD).status_code == 200

    with override_settings(
        AUTHENTICATION_BACKENDS=["allauth.account.auth_backends.AuthenticationBackend"]
    ):
        assert is_signed_out(web_client.get(DASHBOARD))


def test_an_edit_of_the_user_or_their_settings_shows_on_the_next_page(web_client, user):
    assert web_client.get(SETTINGS_PAGE).status_code == 200

    user.name = "Olena Kovalenko"
    user.save()
    services.update_settings(user_settings=services.settings_for(user), language="uk")

    html = web_client.get(SETTINGS_PAGE).content.decode()
    assert "Olena Kovalenko" in html
    assert '<html lang="uk"' in html


def test_each_user_gets_their_own_copy(web_client, user):
    other = UserFactory(email="stranger@example.com", name="Taras Shevchuk")
    other_client = Client()
    other_client.force_login(other)
    services.update_settings(user_settings=services.settings_for(other), timezone="Asia/Tokyo")

    for _ in range(2):  # the first fills each copy, the second reads it
        mine = web_client.get(SETTINGS_PAGE).content.decode()
        theirs = other_client.get(SETTINGS_PAGE).content.decode()
        assert "owner@example.com" in mine
        assert "stranger@example.com" not in mine
        assert "Taras Shevchuk" in theirs
        assert "owner@example.com" not in theirs
        assert 'value="Asia/Tokyo" selected' in theirs
        assert 'value="Asia/Tokyo" selected' not in mine
