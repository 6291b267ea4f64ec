"""The production settings with one more route, the floor of `bench/api_bench.py`."""

from bakhmach.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
