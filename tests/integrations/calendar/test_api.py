"""`/api/calendar/…`: the feed URL and app passwords, JSON like the rest of the API."""

import base64

import pytest

from integrations.calendar import provider, services
from integrations.calendar.models import AppPassword, Feed

pytestmark = pytest.mark.django_db


def test_an_app_password_is_shown_once_and_stored_as_a_digest(api_client, user):
    response = api_client.post("/api/calendar/app-passwords", {"name": "iPhone"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "name", "username", "password"}
    assert body["username"] == user.email
    assert len(body["password"].replace("-", "")) == 20
    stored = AppPassword.objects.get(pk=body["id"])
    assert body["password"] not in stored.digest

    listing = api_client.get("/api/calendar/app-passwords").json()
    assert listing["count"] == 1
    assert set(listing["results"][0]) == {
        "id",
        "name",
        "username",
        "created_at",
        "last_used_at",
        "device",
    }


def test_a_name_is_required(api_client):
    response = api_client.post("/api/calendar/app-passwords", {"name": ""}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    too_long = api_client.post("/api/calendar/app-passwords", {"name": "x" * 101}, format="json")
    assert too_long.status_code == 400


def test_revoking_stops_the_device(api_client, client, user):
    created = api_client.post("/api/calendar/app-passwords", {"name": "Mac"}, format="json").json()
    credentials = base64.b64encode(f"{user.email}:{created['password']}".encode()).decode()
    auth = {"Authorization": f"Basic {credentials}"}
    assert client.generic("PROPFIND", "/dav/", headers=auth).status_code == 207

    assert api_client.delete(f"/api/calendar/app-passwords/{created['id']}").status_code == 204

    assert client.generic("PROPFIND", "/dav/", headers=auth).status_code == 401


def test_another_users_app_password_is_a_404(api_client, other_user):
    theirs, _ = services.create_app_password(user=other_user, name="Theirs")
    response = api_client.delete(f"/api/calendar/app-passwords/{theirs.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert api_client.delete("/api/calendar/app-passwords/not-a-uuid").status_code == 404
    assert AppPassword.objects.filter(pk=theirs.pk).exists()
    assert api_client.get("/api/calendar/app-passwords").json()["count"] == 0


def test_wrong_methods_are_json_405s(api_client):
    response = api_client.get("/api/calendar/feed")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"


def test_the_provider_state_follows_the_feed_and_devices(api_client, client, user):
    assert provider.state(user) == {
        "connected": False,
        "state": "disconnected",
        "last_sync_at": None,
        "error": None,
    }
    url = api_client.post("/api/calendar/feed").json()["url"]
    client.get(url.removeprefix("http://testserver"))
    state = provider.state(user)
    assert state["connected"]
    assert state["last_sync_at"] == Feed.objects.get(user=user).last_accessed_at

    services.revoke_feed(user=user)
    assert not provider.state(user)["connected"]
    services.create_app_password(user=user, name="Phone")
    assert provider.state(user)["state"] == "connected"

    provider.disconnect(user)
    assert not provider.state(user)["connected"]
    assert client.get(url.removeprefix("http://testserver")).status_code == 404
    assert not AppPassword.objects.filter(user=user).exists()


def test_an_operator_can_see_and_revoke_devices_but_not_their_passwords(admin_client, user):
    app_password, password = services.create_app_password(user=user, name="Lost phone")
    listing = admin_client.get("/admin/calendar_sync/apppassword/")
    assert b"Lost phone" in listing.content
    detail = admin_client.get(f"/admin/calendar_sync/apppassword/{app_password.pk}/change/")
    assert app_password.digest.encode() not in detail.content
    assert password.encode() not in detail.content

    admin_client.post(
        f"/admin/calendar_sync/apppassword/{app_password.pk}/delete/", {"post": "yes"}
    )
    assert not AppPassword.objects.filter(pk=app_password.pk).exists()
