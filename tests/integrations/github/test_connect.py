"""Connecting GitHub (a separate OAuth authorization), its state, and disconnecting."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.db import connection as db
from django.urls import reverse

from accounts.services import settings_for, update_settings
from integrations.github.models import Connection, Repository, SyncRun
from tasks.models import Task

from .conftest import OCTOCAT, connect_through_github

pytestmark = pytest.mark.django_db


def test_connect_asks_github_for_its_own_scopes_and_a_state(web_client, github):
    response = web_client.get(reverse("integrations:github:connect"))

    parts = urlsplit(response["Location"])
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{github.url}/login/oauth/authorize"
    assert query["redirect_uri"] == ["http://testserver/integrations/github/callback"]
    # Beyond sign-in's read:user and user:email: the repositories' issues and pull requests.
    assert set(query["scope"][0].split()) == {"repo", "read:user"}
    assert len(query["state"][0]) >= 24


def test_connecting_stores_the_token_encrypted_lists_repositories_and_queues_a_sync(
    web_client, github, repo, user, run_jobs
):
    private = github.add_repo(OCTOCAT, "secret-plans", private=True)
    with run_jobs():
        response = connect_through_github(web_client, github)

    assert response.status_code == 302
    assert response["Location"] == reverse("integrations:settings") + "#github"
    connection = Connection.objects.get(user=user)
    assert (connection.login, connection.github_id) == ("octocat", OCTOCAT.id)
    assert connection.scopes == "repo,read:user"
    token = connection.token
    assert token.startswith("gho_")
    # At rest the token is ciphertext: not in the row, readable only with ENCRYPTION_KEYS.
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT encrypted_token FROM integrations_github_connection WHERE id = %s",
            [Connection._meta.pk.get_db_prep_value(connection.pk, db)],
        )
        (stored,) = cursor.fetchone()
    assert token not in stored
    assert set(Repository.objects.filter(user=user).values_list("full_name", "private")) == {
        (repo.full_name, False),
        (private.full_name, True),
    }
    run = SyncRun.objects.get(user=user)
    assert (run.trigger, run.status) == ("connect", "ready")  # nothing selected yet: done


def test_a_state_that_was_not_ours_is_refused(web_client, github):
    github.sign_in(OCTOCAT)
    code = github.issue_code(OCTOCAT, "http://testserver/integrations/github/callback")

    response = web_client.get(
        reverse("integrations:github:callback"), {"code": code, "state": "forged"}, follow=True
    )

    assert "not started here" in response.content.decode()
    assert not Connection.objects.exists()


def test_refused_consent_connects_nothing_and_says_so(web_client, github):
    github.deny_consent = True

    response = connect_through_github(web_client, github)

    assert response.status_code == 302
    page = web_client.get(response["Location"]).content.decode()
    assert "access was not granted" in page
    assert not Connection.objects.exists()


def test_the_settings_page_shows_state_last_sync_counts_and_errors(
    web_client, github, connected, repo, run_jobs
):
    github.add_issue(repo, "Fix the login", author=OCTOCAT, assignees=[OCTOCAT])
    github.add_issue(repo, "Speed up", author=OCTOCAT, assignees=[OCTOCAT], pull=True)
    with run_jobs():
        web_client.post(reverse("integrations:github:sync"))

    page = web_client.get(reverse("integrations:settings")).content.decode()

    assert 'data-state="connected"' in page
    assert 'id="github-issue-count">1<' in page
    assert 'id="github-pull-count">1<' in page
    assert "2 imported" in page
    assert "Disconnect GitHub" in page
    # The account settings page leads here.
    settings_page = web_client.get(reverse("accounts:settings")).content.decode()
    assert reverse("integrations:settings") in settings_page


def test_a_token_revoked_on_github_turns_into_a_reconnect_state_not_an_error_page(
    web_client, api_client, github, connected, run_jobs
):
    github.revoke(OCTOCAT)
    with run_jobs():
        answer = api_client.post("/api/integrations/github/sync")

    assert answer.status_code == 202
    run = SyncRun.objects.get(pk=answer.json()["id"])
    assert run.status == "failed"
    assert "reconnect" in run.error.lower()
    github_state = api_client.get("/api/integrations/github").json()
    assert github_state["connected"] is False
    assert github_state["state"] == "reconnect"
    assert "reconnect" in github_state["error"].lower()
    page = web_client.get(reverse("integrations:settings"))
    assert page.status_code == 200
    assert "Reconnect GitHub" in page.content.decode()
    # Syncing again is refused plainly until the user reconnects.
    again = api_client.post("/api/integrations/github/sync")
    assert again.status_code == 409
    assert "reconnect" in again.json()["detail"].lower()

    connect_through_github(web_client, github)
    reconnected = api_client.get("/api/integrations/github").json()
    assert reconnected["connected"] is True
    assert reconnected["state"] == "syncing"  # connecting queues a sync
    assert reconnected["error"] == ""


def test_a_failed_sync_says_why_in_its_owners_language(
    api_client, github, connected, run_jobs, user
):
    update_settings(user_settings=settings_for(user), language="uk")
    github.revoke(OCTOCAT)
    with run_jobs():
        answer = api_client.post("/api/integrations/github/sync")

    run = SyncRun.objects.get(pk=answer.json()["id"])
    assert run.status == "failed"
    assert run.error.startswith("GitHub більше не приймає наш доступ")


def test_disconnecting_deletes_the_token_and_keeps_the_tasks(
    web_client, api_client, github, connected, repo, run_jobs, user
):
    github.add_issue(repo, "Fix the login", author=OCTOCAT, assignees=[OCTOCAT])
    with run_jobs():
        api_client.post("/api/integrations/github/sync")

    response = api_client.delete("/api/integrations/github")

    assert response.status_code == 204
    assert not Connection.objects.filter(user=user).exists()
    assert Task.objects.filter(user=user).count() == 1
    (state,) = [
        entry
        for entry in api_client.get("/api/integrations").json()
        if entry["provider"] == "github"
    ]
    assert state == {
        "provider": "github",
        "connected": False,
        "state": "disconnected",
        "last_sync_at": None,
        "error": "",
    }
    # Connecting again finds the same links: nothing is duplicated.
    with run_jobs():
        connect_through_github(web_client, github)
        Repository.objects.filter(user=user).update(selected=True)
        api_client.post("/api/integrations/github/sync")
    assert Task.objects.filter(user=user).count() == 1


def test_the_web_page_disconnects_too(web_client, connected, user):
    response = web_client.post(reverse("integrations:github:disconnect"))

    assert response.status_code == 302
    assert not Connection.objects.filter(user=user).exists()


def test_the_integrations_list_and_unknown_providers(api_client, anon_client, connected):
    listing = api_client.get("/api/integrations")

    assert listing.status_code == 200
    (github_state,) = [entry for entry in listing.json() if entry["provider"] == "github"]
    assert github_state["connected"] is True
    assert github_state["state"] == "connected"
    assert api_client.get("/api/integrations/nope").status_code == 404
    assert api_client.delete("/api/integrations/nope").json() == {"detail": "No such integration."}
    assert anon_client.get("/api/integrations").status_code == 401


def test_github_enterprise_hosts_are_used_for_everything(web_client, github, settings):
    # The fake *is* an Enterprise-style host: web at GITHUB_URL, REST under /api/v3.
    connect_through_github(web_client, github)

    assert ("POST", "/login/oauth/access_token") in github.requests
    assert ("GET", "/api/v3/user") in github.requests
    assert ("GET", "/api/v3/user/repos") in github.requests
    assert requests.get(f"{github.api_url}/user", timeout=5).status_code == 401
