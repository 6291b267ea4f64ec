import pytest
from django.conf import settings
from django.test import override_settings

from .helpers import login


@pytest.fixture
def tokens(anon_client, user, password):
    """A real token pair for `user`, obtained through the login endpoint."""
    response = login(anon_client, user.email, password)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def throttle_rates():
    """Set throttle rates for one test: `throttle_rates(auth="3/min")`."""
    overrides = []

    def set_rates(**rates):
        rest_framework = dict(settings.REST_FRAMEWORK)
        rest_framework["DEFAULT_THROTTLE_RATES"] = {
            **rest_framework["DEFAULT_THROTTLE_RATES"],
            **rates,
        }
        override = override_settings(REST_FRAMEWORK=rest_framework)
        override.enable()
        overrides.append(override)

    yield set_rates
    for override in reversed(overrides):
        override.disable()
