"""The calendar sync settings page: the feed URL, its options, app passwords and devices."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.factories import GoalFactory
from integrations.calendar import services
from integrations.calendar.models import AppPassword, Feed
from tasks.factories import LabelFactory
from tests.web import NOT_FOUND_TEXT

pytestmark = pytest.mark.django_db

PAGE = reverse("calendar_sync:settings")


def test_the_page_offers_a_feed_before_there_is_one(web_client):
    response = web_client.get(PAGE)
    assert response.status_code == 200
    assert b"Make my feed address" in response.content
    assert b"No device syncs yet." in response.content


def test_the_settings_page_links_here(web_client):
    assert PAGE.encode() in web_client.get(reverse("accounts:settings")).content


def test_making_rotating_and_revoking_the_feed(web_client, user):
    response = web_client.post(reverse("calendar_sync:feed-rotate"), follow=True)
    first = shown_feed_url(response)
    assert first.startswith("http://testserver/ics/")
    assert b'href="webcal://testserver/ics/' in response.content

    response = web_client.post(reverse("calendar_sync:feed-rotate"), follow=True)
    assert b"the old one no longer works" in response.content
    second = shown_feed_url(response)
    assert second != first
    assert web_client.get(first.removeprefix("http://testserver")).status_code == 404

    response = web_client.post(reverse("calendar_sync:feed-revoke"), follow=True)
    assert b"Make my feed address" in response.content
    assert web_client.get(second.removeprefix("http://testserver")).status_code == 404


def shown_feed_url(response) -> str:
    text = response.content.decode()
    start = text.index('id="feed-url" type="text" value="') + len(
        'id="feed-url" type="text" value="'
    )
    return text[start : text.index('"', start)]


def test_feed_options_offer_only_the_users_goals(web_client, user, other_user):
    mine = GoalFactory(user=user, title="Mine")
    theirs = GoalFactory(user=other_user, title="Theirs")
    page = web_client.get(PAGE).content
    assert b"Mine" in page
    assert b"Theirs" not in page

    response = web_client.post(
        reverse("calendar_sync:feed-options"),
        {"goals": [str(theirs.pk)], "include_goal_dates": "on"},
    )
    assert response.status_code == 422
    assert not Feed.objects.filter(user=user, goals=theirs).exists()

    response = web_client.post(
        reverse("calendar_sync:feed-options"),
        {"goals": [str(mine.pk)], "include_completed": "on"},
    )
    assert response.status_code == 302
    feed = Feed.objects.get(user=user)
    assert list(feed.goals.all()) == [mine]
    assert feed.include_completed
    assert not feed.include_goal_dates


def test_feed_options_offer_only_the_users_labels(web_client, user, other_user):
    mine = LabelFactory(user=user, name="errands")
    theirs = LabelFactory(user=other_user, name="secret-label")
    page = web_client.get(PAGE).content.decode()
    assert "Only these labels" in page
    assert "errands" in page
    assert "secret-label" not in page

    options = reverse("calendar_sync:feed-options")
    assert web_client.post(options, {"labels": [str(theirs.pk)]}).status_code == 422
    assert web_client.post(options, {"labels": [str(mine.pk)]}).status_code == 302
    assert list(Feed.objects.get(user=user).labels.all()) == [mine]


def test_an_app_password_is_shown_once_then_listed_as_a_device(web_client, user):
    response = web_client.post(
        reverse("calendar_sync:app-password-create"), {"name": "iPad"}, follow=True
    )
    app_password = AppPassword.objects.get(user=user)
    text = response.content.decode()
    assert "it is shown only this once" in text
    shown = text.split('id="new-app-password">', 1)[1].split("<", 1)[0]
    assert len(shown.replace("-", "")) == 20

    again = web_client.get(PAGE).content.decode()
    assert shown not in again
    assert "iPad" in again
    assert "never used" in again

    response = web_client.post(
        reverse("calendar_sync:app-password-revoke", args=[app_password.pk]), follow=True
    )
    assert "can no longer sync" in response.content.decode()
    assert not AppPassword.objects.filter(user=user).exists()


def test_a_blank_device_name_is_a_form_error(web_client):
    response = web_client.post(reverse("calendar_sync:app-password-create"), {"name": " "})
    assert response.status_code == 422
    assert b"This field is required." in response.content


def test_another_users_app_password_cannot_be_revoked(web_client, other_user):
    theirs, _ = services.create_app_password(user=other_user, name="Theirs")
    response = web_client.post(reverse("calendar_sync:app-password-revoke", args=[theirs.pk]))
    assert response.status_code == 404
    assert NOT_FOUND_TEXT.encode() in response.content
    assert AppPassword.objects.filter(pk=theirs.pk).exists()


def test_the_page_needs_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_page_reads_no_deletions_unless_a_device_deleted_something(web_client):
    web_client.get(PAGE)

    with CaptureQueriesContext(connection) as captured:
        assert web_client.get(PAGE).status_code == 200

    assert not [q for q in captured.captured_queries if "calendar_sync_deletedtask" in q["sql"]]
