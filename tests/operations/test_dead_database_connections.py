"""Connections PostgreSQL killed while they sat in the pool cost no request: real gunicorn,
real backends terminated with pg_terminate_backend."""

import json
import urllib.request

import pytest
from django.db import connection
from rest_framework_simplejwt.tokens import RefreshToken

from .processes import Gunicorn, database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def get(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, None


def terminate_other_backends():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


# A list whose answer is not cached (the task list's is, with the user: no query on a hit).
PATH = "/api/pdps"


def test_requests_after_the_pools_connections_were_killed_succeed(tmp_path, user):
    token = RefreshToken.for_user(user).access_token
    server = Gunicorn(
        tmp_path / "gunicorn.log",
        {"DATABASE_URL": database_url(connection.settings_dict), "DATABASE_POOL_MIN": "2"},
    )
    try:
        assert get(f"{server.url}{PATH}", token)[0] == 200
        for _ in range(3):
            assert terminate_other_backends() >= 1
            statuses = [get(f"{server.url}{PATH}", token)[0] for _ in range(5)]
            assert statuses == [200] * 5, server.log.read_text()[-3000:]
    finally:
        server.stop()
