"""Attacks on the web sign-in: open redirects, cross-site requests, session fixation."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.fakes.github import GitHubUser

from .test_github_web import back_at_site, through_github

pytestmark = pytest.mark.django_db

EVIL = "https://evil.example/phish"


def test_login_ignores_a_next_url_on_another_site(client, user, password):
    response = client.post(
        f"{reverse('account_login')}?next={EVIL}", {"login": user.email, "password": password}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_github_login_ignores_a_next_url_on_another_site(client, github):
    github.sign_in(GitHubUser(id=1, login="octo", emails=[("octo@example.com", True, True)]))
    start = client.post(f"{reverse('github_login')}?next={EVIL}")

    response = back_at_site(client, through_github(start["Location"]))

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_github_login_starts_only_from_a_posted_form(client, github):
    # A link or image elsewhere cannot send a visitor through GitHub and back signed in.
    page = client.get(reverse("github_login"))

    assert page.status_code == 200
    assert not github.requests


def test_github_login_needs_the_csrf_token(github):
    response = Client(enforce_csrf_checks=True).post(reverse("github_login"))

    assert response.status_code == 403


def test_logout_needs_a_posted_form(web_client, user):
    web_client.get(reverse("account_logout"))

    assert web_client.session.get("_auth_user_id") == str(user.pk)


def test_login_gives_a_new_session_key(client, user, password):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key

    client.post(reverse("account_login"), {"login": user.email, "password": password})

    assert client.session.session_key != before
