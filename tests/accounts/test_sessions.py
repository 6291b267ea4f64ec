"""Sessions: a password change or reset ends the others and revokes tokens; the sessions page.

Each test runs on both session engines the settings choose from: the database (no REDIS_URL)
and the cache (Redis when REDIS_URL is set, else the local-memory cache).
"""

import datetime
import re

import pytest
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from .helpers import login, refresh

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "tangerine-lighthouse-4077"


@pytest.fixture(
    params=["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cache"],
    ids=["db-sessions", "cache-sessions"],
)
def session_engine(request, settings):
    settings.SESSION_ENGINE = request.param
    return request.param


def browser(user, password, agent):
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302, response.content
    return client


def is_signed_in(client):
    return client.get(reverse("usersessions_list")).status_code == 200


def test_a_web_password_change_ends_other_sessions_and_revokes_tokens(
    session_engine, user, password
):
    laptop = browser(user, password, "Laptop")
    phone = browser(user, password, "Phone")
    app_refresh = login(APIClient(), user.email, password).json()["refresh"]

    response = laptop.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302, response.content
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert is_signed_in(laptop)  # the session that made the change carries on
    assert not is_signed_in(phone)
    assert refresh(APIClient(), app_refresh).status_code == 401
    assert [s.user_agent for s in UserSession.objects.filter(user=user)] == ["Laptop"]


def test_a_password_reset_ends_every_session_and_revokes_tokens(
    session_engine, user, password, client, mailoutbox
):
    phone = browser(user, password, "Phone")
    app_refresh = login(APIClient(), user.email, password).json()["refresh"]

    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[-1].body)
    form_page = client.get(link.group(1), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302, response.content
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not is_signed_in(phone)
    assert refresh(APIClient(), app_refresh).status_code == 401
    assert not UserSession.objects.filter(user=user).exists()


def test_the_sessions_page_lists_active_sessions(session_engine, user, password):
    laptop = browser(user, password, "Laptop")
    browser(user, password, "Phone")

    page = laptop.get(reverse("usersessions_list"))

    assert page.status_code == 200
    assert [s.user_agent for s in page.context["sessions"]] == ["Laptop", "Phone"]
    assert "Phone" in page.content.decode()


def test_log_out_everywhere_else_ends_the_other_sessions(session_engine, user, password):
    laptop = browser(user, password, "Laptop")
    phone = browser(user, password, "Phone")
    tablet = browser(user, password, "Tablet")

    response = laptop.post(reverse("usersessions_list"))

    assert response.status_code == 302
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert not is_signed_in(tablet)
    assert [s.user_agent for s in UserSession.objects.filter(user=user)] == ["Laptop"]


def test_the_sessions_page_shows_only_your_sessions(session_engine, user, other_user, password):
    mine = browser(user, password, "Mine")
    browser(other_user, password, "Theirs")

    page = mine.get(reverse("usersessions_list"))

    assert [s.user_agent for s in page.context["sessions"]] == ["Mine"]
    assert not is_signed_in(Client())  # and it needs a signed-in user at all


def test_activity_is_recorded_at_most_once_an_interval(settings, user, password, time_machine):
    """The session's "last seen" moves on after USERSESSIONS_ACTIVITY_INTERVAL, not per request."""
    start = datetime.datetime(2026, 3, 11, 12, 0, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    laptop = browser(user, password, "Laptop")
    laptop.get(reverse("dashboard"))
    seen = UserSession.objects.get(user=user).last_seen_at

    time_machine.move_to(start + datetime.timedelta(seconds=60), tick=False)
    with CaptureQueriesContext(connection) as queries:
        laptop.get(reverse("dashboard"))
    assert UserSession.objects.get(user=user).last_seen_at == seen
    assert not [q for q in queries if "usersession" in q["sql"]]

    later = start + datetime.timedelta(seconds=settings.USERSESSIONS_ACTIVITY_INTERVAL + 1)
    time_machine.move_to(later, tick=False)
    laptop.get(reverse("dashboard"))
    assert UserSession.objects.get(user=user).last_seen_at == later


def test_a_new_address_or_browser_is_recorded_at_once(user, password):
    laptop = browser(user, password, "Laptop")
    laptop.get(reverse("dashboard"))

    laptop.get(reverse("dashboard"), HTTP_USER_AGENT="Laptop, updated")
    assert UserSession.objects.get(user=user).user_agent == "Laptop, updated"
    laptop.get(reverse("dashboard"), HTTP_USER_AGENT="Laptop, updated", REMOTE_ADDR="10.0.0.7")
    assert UserSession.objects.get(user=user).ip == "10.0.0.7"


def test_a_session_signed_in_without_allauth_is_recorded_on_its_first_request(user):
    """The admin's (or any other) login records no user session itself."""
    admin = Client()
    admin.force_login(user)
    assert not UserSession.objects.filter(user=user).exists()
    admin.get(reverse("dashboard"))
    assert UserSession.objects.filter(user=user).count() == 1
