import pytest

from integrations.calendar import services


@pytest.fixture
def app_password(user):
    """A device's app password of `user`: (the AppPassword, the password in clear)."""
    return services.create_app_password(user=user, name="Phone")


@pytest.fixture
def dav_client(live_server, user, app_password):
    """The real `caldav` client, pointed at the well-known URL as a phone would be."""
    import caldav

    client = caldav.DAVClient(
        url=live_server.url + "/.well-known/caldav", username=user.email, password=app_password[1]
    )
    yield client
    client.close()
