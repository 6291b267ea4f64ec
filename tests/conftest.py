"""Shared fixtures, and the rule for tests that need a real service or browser.

A test marked `redis`, `postgres`, `celery_worker` or `browser` is skipped, with the reason in
the summary, when that part is absent. With REQUIRE_SERVICES=1 (CI) an absent part is an error
instead, so nothing is silently skipped there.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from bakhmach.celery import app as celery_app

# The fake GitHub, Slack and Web Push servers and their `github`, `slack` and `push` fixtures;
# the real Celery worker (`celery_worker`), pointed at them.
pytest_plugins = ["tests.fakes.github", "tests.fakes.slack", "tests.fakes.push", "tests.worker"]


def _redis_available():
    if not settings.REDIS_URL:
        return "REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at REDIS_URL does not answer: {exc}"
    return None


def _postgres_available():
    if connection.vendor != "postgresql":
        return "DATABASE_URL does not name PostgreSQL"
    return None


def _browser_available():
    if not shutil.which("chromium"):
        return "no chromium on PATH (apt-get install chromium)"
    return None


def _celery_worker_available():
    # The worker is another process: it needs a database it can share (not SQLite's in-memory
    # test database) and a broker that answers (the filesystem transport always does).
    reason = _postgres_available()
    if reason is not None:
        return reason
    broker = settings.CELERY_BROKER_URL
    if broker.startswith(("redis://", "rediss://")):
        import redis

        try:
            redis.Redis.from_url(broker, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            return f"the broker at CELERY_BROKER_URL does not answer: {exc}"
    return None


SERVICE_CHECKS = {
    "redis": _redis_available,
    "postgres": _postgres_available,
    "browser": _browser_available,
    "celery_worker": _celery_worker_available,
}


def pytest_collection_modifyitems(config, items):
    required = os.environ.get("REQUIRE_SERVICES") == "1"
    reasons = {}
    for item in items:
        for marker, check in SERVICE_CHECKS.items():
            if item.get_closest_marker(marker) is None:
                continue
            if marker not in reasons:
                reasons[marker] = check()
            reason = reasons[marker]
            if reason is None:
                continue
            if required:
                raise pytest.UsageError(f"REQUIRE_SERVICES=1 but '{marker}' is missing: {reason}")
            item.add_marker(pytest.mark.skip(reason=f"{marker} unavailable: {reason}"))


@pytest.fixture(autouse=True)
def _reset_throttles():
    """Rate-limit counters live in the default cache: start each test with none."""
    if hasattr(cache, "delete_pattern"):  # Redis: leave the broker and other keys alone
        cache.delete_pattern("throttle_*")
        cache.delete_pattern("allauth:rl:*")  # allauth's web login/signup/MFA limits
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _static_files_without_collectstatic(settings):
    """Pages render `{% static %}` from the source folders: tests do not run collectstatic,
    so production's manifest storage (hashed names from STATIC_ROOT) has no manifest here."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose (~0.3 s a hash here); tests hash thousands of passwords.
    tests/accounts/test_password_storage.py checks that production settings use Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eager_celery():
    """Tasks run in-process when enqueued, with Celery's retry and failure handling."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def eager_celery_keeping_errors(eager_celery):
    """Eager tasks whose final error is kept in their result, as a worker would, not raised."""
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def run_jobs(eager_celery, django_capture_on_commit_callbacks):
    """`with run_jobs():` runs the jobs enqueued inside the block (on commit), eagerly."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def user(db):
    return UserFactory(email="owner@example.com")


@pytest.fixture
def other_user(db):
    return UserFactory(email="stranger@example.com")


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def api_client(user):
    """An API client that authenticates as `user` with a real access JWT."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def web_client(client, user):
    """Django's test client, logged in as `user` through the session."""
    client.force_login(user)
    return client
