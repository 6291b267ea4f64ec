"""The provider registry behind /api/integrations and Settings → Integrations."""

import pytest
from django.urls import reverse

from integrations import registry
from integrations.registry import Provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar_like():
    """A provider with no settings partial of its own, registered for the test only."""
    disconnected = []
    provider = Provider(
        name="example",
        label="Example",
        state=lambda user: {"connected": True, "state": "connected", "error": None},
        disconnect=disconnected.append,
    )
    registry.register(provider)
    yield disconnected
    del registry._providers["example"]


def test_every_registered_provider_is_listed_with_every_key(api_client, calendar_like, user):
    listing = api_client.get("/api/integrations").json()

    assert [entry["provider"] for entry in listing] == ["github", "calendar", "slack", "example"]
    assert listing[-1] == {
        "provider": "example",
        "connected": True,
        "state": "connected",
        "last_sync_at": None,
        "error": "",
    }
    assert api_client.delete("/api/integrations/example").status_code == 204
    assert calendar_like == [user]


def test_a_provider_without_a_partial_gets_the_generic_card(web_client, calendar_like):
    page = web_client.get(reverse("integrations:settings")).content.decode()

    assert 'id="example-heading">Example<' in page
    assert 'id="github-heading">GitHub<' in page


def test_calendar_sync_is_a_provider_that_disconnect_revokes(api_client, client):
    def calendar_state():
        listing = api_client.get("/api/integrations").json()
        return next(entry for entry in listing if entry["provider"] == "calendar")

    assert calendar_state()["state"] == "disconnected"
    feed_url = api_client.post("/api/calendar/feed").json()["url"]
    assert calendar_state()["state"] == "connected"

    assert api_client.delete("/api/integrations/calendar").status_code == 204

    assert calendar_state()["state"] == "disconnected"
    assert client.get(feed_url).status_code == 404


def test_a_name_is_registered_once():
    github = registry.get_provider("github")
    registry.register(github)  # the same provider again (a second ready()): fine

    with pytest.raises(ValueError, match="github"):
        registry.register(Provider("github", "Other", github.state, github.disconnect))
