"""The read-replica router against a second PostgreSQL database playing the replica (it gets
the schema but no replication, so what is read from it shows): real gunicorn."""

import json
import urllib.request

import pytest
from django.db import connection
from rest_framework_simplejwt.tokens import RefreshToken

from plans.factories import PlanFactory

from .processes import Gunicorn, ScratchDatabase, database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def call(method, url, token, body=None):
    request = urllib.request.Request(
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def replica():
    database = ScratchDatabase(connection.settings_dict, "replica")
    database.copy_schema_of(connection.settings_dict["NAME"])
    yield database
    database.drop()


def test_reads_go_to_the_replica_until_the_request_writes(tmp_path, user, replica):
    PlanFactory(user=user, title="On the primary only")
    token = RefreshToken.for_user(user).access_token
    server = Gunicorn(
        tmp_path / "gunicorn.log",
        {
            "DATABASE_URL": database_url(connection.settings_dict),
            "DATABASE_REPLICA_URL": replica.url,
        },
    )
    try:
        # Who is signed in comes from the primary; the plans list from the (empty) replica.
        status, page = call("GET", f"{server.url}/api/pdps", token)
        assert status == 200
        assert page["count"] == 0

        # A write, then the read-back of the answer, in one request: both on the primary.
        status, created = call("POST", f"{server.url}/api/pdps", token, {"title": "New plan"})
        assert status == 201, created
        assert created["title"] == "New plan"
        assert created["goal_count"] == 0
    finally:
        server.stop()
    assert replica.psql("-c", "SELECT count(*) FROM plans_plan").strip() == "0"
    assert user.plans.count() == 2
