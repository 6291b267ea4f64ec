import pytest

from .clock import NOW


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    """Every analytics test runs at `clock.NOW`. Autouse fixtures come first, so users and
    tokens are made on the frozen clock too."""
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render without a collected manifest (tests run without `collectstatic`)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
