import pytest

from .clock import NOW


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    """Every analytics test runs at `clock.NOW`. Autouse fixtures come first, so users and
    tokens are made on the frozen clock too."""
    time_machine.move_to(NOW, tick=False)
