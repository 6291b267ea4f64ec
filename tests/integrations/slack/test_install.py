"""Add to Slack (OAuth v2 against the fake Slack), the stored token, and every way the link ends."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from integrations.slack.models import Delivery, SlackLink, Workspace
from integrations.slack.provider import disconnect, state
from integrations.slack.services import send_delivery
from tests.fakes.slack import Member, Team

from .conftest import connect

pytestmark = pytest.mark.django_db


def _add_to_slack(web_client):
    """The browser's trip: our install URL, Slack's consent page, back to our callback."""
    start = web_client.get("/integrations/slack/install")
    assert start.status_code == 302
    consent = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert consent.status_code == 302
    back = urlsplit(consent.headers["Location"])
    assert back.path == "/integrations/slack/oauth/callback"
    return start, web_client.get(f"{back.path}?{back.query}")


def test_add_to_slack_links_the_user_and_keeps_the_bot_token_encrypted(
    web_client, user, slack, olena
):
    slack.sign_in(olena)

    start, done = _add_to_slack(web_client)

    asked = parse_qs(urlsplit(start["Location"]).query)
    assert asked["scope"] == ["chat:write,commands,im:write"]
    assert done.status_code == 302
    assert done["Location"] == "/settings/slack"
    link = SlackLink.objects.select_related("workspace").get(user=user)
    assert (link.slack_user_id, link.workspace.team_id) == (olena.id, olena.team.id)
    assert link.workspace.bot_user_id == olena.team.bot_user_id
    (token,) = slack.tokens
    stored = Workspace.objects.values_list("bot_token_encrypted", flat=True).get()
    assert token not in stored
    assert link.workspace.bot_token == token
    page = web_client.get("/settings/slack").content.decode()
    assert "Connected" in page
    assert "Hub Team" in page


def test_a_callback_with_another_sessions_state_links_nothing(web_client, user, slack, olena):
    slack.sign_in(olena)
    code = slack.issue_code(olena, "http://testserver/integrations/slack/oauth/callback")

    answer = web_client.get(
        "/integrations/slack/oauth/callback", {"code": code, "state": "forged"}, follow=True
    )

    assert "stale" in answer.content.decode()
    assert not SlackLink.objects.exists()
    assert code in slack.codes  # never even traded


def test_consent_refused_at_slack_links_nothing(web_client, user, slack):
    _, done = _add_to_slack(web_client)  # nobody signed in at Slack: access_denied

    assert done.status_code == 302
    assert not SlackLink.objects.exists()
    assert not Workspace.objects.exists()


def test_without_slack_credentials_the_page_says_how_to_set_it_up(web_client, settings):
    settings.SLACK_CLIENT_ID = ""

    page = web_client.get("/settings/slack").content.decode()
    install = web_client.get("/integrations/slack/install")

    assert "slack-manifest.yml" in page
    assert install["Location"] == "/settings/slack"


def test_a_second_hub_user_taking_the_same_slack_member_replaces_the_first(
    user, other_user, slack, olena
):
    connect(slack, user, olena)
    connect(slack, other_user, olena)

    assert list(SlackLink.objects.values_list("user", flat=True)) == [other_user.pk]
    assert Workspace.objects.count() == 1


def test_disconnect_deletes_the_link_and_the_token_with_the_last_user(
    web_client, user, other_user, slack, olena, mike
):
    connect(slack, user, olena)
    connect(slack, other_user, mike)

    web_client.post("/settings/slack/disconnect")

    assert list(SlackLink.objects.values_list("user", flat=True)) == [other_user.pk]
    assert Workspace.objects.count() == 1  # mike still uses it
    web_client.force_login(other_user)
    web_client.post("/settings/slack/disconnect")
    assert not Workspace.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_uninstalling_the_app_removes_every_link_of_the_workspace(
    live_server, user, other_user, slack, team, olena, mike
):
    connect(slack, user, olena)
    connect(slack, other_user, mike)

    answer = slack.uninstall(live_server.url, team)

    assert answer.status_code == 200
    assert not SlackLink.objects.exists()
    assert not Workspace.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_revoked_bot_token_removes_the_workspace(live_server, user, slack, team, olena):
    connect(slack, user, olena)

    answer = slack.event(
        live_server.url,
        team,
        {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [team.bot_user_id]}},
    )

    assert answer.status_code == 200
    assert not Workspace.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_revoked_user_grant_removes_only_that_users_link(
    live_server, user, other_user, slack, team, olena, mike
):
    connect(slack, user, olena)
    connect(slack, other_user, mike)

    slack.event(live_server.url, team, {"type": "tokens_revoked", "tokens": {"oauth": [olena.id]}})

    assert list(SlackLink.objects.values_list("user", flat=True)) == [other_user.pk]


@pytest.mark.django_db(transaction=True)
def test_the_events_url_check_is_answered_with_its_challenge(live_server, slack):
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    body = json.dumps({"token": "t", "challenge": challenge, "type": "url_verification"}).encode()

    answer = slack.post(
        slack.signed(f"{live_server.url}/integrations/slack/events", body, "application/json")
    )

    assert answer.json() == {"challenge": challenge}


def test_a_token_slack_no_longer_accepts_marks_the_workspace_broken_and_the_page_says_so(
    web_client, user, slack, team, olena
):
    connect(slack, user, olena)
    slack.deactivate(team)
    first = Delivery.objects.create(user=user, kind=Delivery.Kind.DAILY_PLAN, key="2026-12-02")
    second = Delivery.objects.create(user=user, kind=Delivery.Kind.DAILY_PLAN, key="2026-12-03")

    send_delivery(delivery_id=first.pk)
    calls = len(slack.calls)
    send_delivery(delivery_id=second.pk)

    first.refresh_from_db()
    assert (first.status, first.error) == (Delivery.Status.FAILED, "account_inactive")
    assert Workspace.objects.get().broken_reason == "account_inactive"
    assert len(slack.calls) == calls  # nothing more is tried on a broken workspace
    page = web_client.get("/settings/slack").content.decode()
    assert "Broken" in page
    assert "account_inactive" in page
    assert "Reconnect Slack" in page


def test_notification_choices_are_saved_and_a_bad_channel_is_a_form_error(
    web_client, user, slack, olena
):
    connect(slack, user, olena)
    choices = {
        "channel_id": "c0general1",
        "daily_plan": "on",
        "daily_plan_time": "07:30",
        "weekly_review_time": "18:00",
        "task_reminder_time": "15:00",
        "goal_completed": "on",
    }

    saved = web_client.post("/settings/slack/preferences", choices)
    refused = web_client.post("/settings/slack/preferences", {**choices, "channel_id": "#general"})

    assert saved.status_code == 302
    link = SlackLink.objects.get()
    assert link.channel_id == "C0GENERAL1"
    assert str(link.daily_plan_time) == "07:30:00"
    assert (link.weekly_review, link.goal_off_track, link.task_reminders) == (False, False, False)
    assert refused.status_code == 422
    assert "channel ID looks like" in refused.content.decode()
    assert SlackLink.objects.get().channel_id == "C0GENERAL1"


def test_the_provider_state_says_connected_broken_or_disconnected(user, slack, team, olena):
    assert state(user)["state"] == "disconnected"
    connect(slack, user, olena)
    assert state(user) == {
        "connected": True,
        "state": "connected",
        "last_sync_at": None,
        "error": None,
    }
    Workspace.objects.get().mark_broken("invalid_auth")
    assert (state(user)["state"], state(user)["error"]) == ("reconnect", "invalid_auth")
    disconnect(user)
    assert not SlackLink.objects.exists()


def test_the_integrations_api_lists_slack_and_deletes_its_token(api_client, user, slack, olena):
    connect(slack, user, olena)

    listed = api_client.get("/api/integrations").json()
    deleted = api_client.delete("/api/integrations/slack")

    assert {"provider": "slack", "connected": True, "state": "connected"}.items() <= next(
        item for item in listed if item["provider"] == "slack"
    ).items()
    assert deleted.status_code == 204
    assert not Workspace.objects.exists()


def test_the_settings_page_links_to_slack(web_client):
    assert 'href="/settings/slack"' in web_client.get("/settings/").content.decode()


def test_moving_to_another_workspace_deletes_the_old_workspaces_token(slack, user, olena):
    connect(slack, user, olena)
    elsewhere = Member(id="U0ELSE0001", name="olena", team=Team(id="T0OTHER001", name="Other"))

    connect(slack, user, elsewhere)

    assert list(Workspace.objects.values_list("team_id", flat=True)) == ["T0OTHER001"]
    assert SlackLink.objects.get().slack_user_id == "U0ELSE0001"
