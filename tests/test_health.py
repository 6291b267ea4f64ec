import time

import pytest

from lib import heartbeat


def test_healthz_answers_without_touching_dependencies(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_each_dependency(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    checks = response.json()["checks"]
    assert {name: checks[name] for name in ("database", "cache", "broker")} == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
    }
    assert "worker" in checks  # its heartbeat: tests/operations/test_worker_faults.py


@pytest.mark.django_db
def test_readyz_names_the_dependency_that_fails(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["cache"].startswith("failed")


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_reports_a_stale_worker_as_degraded_but_still_ready(client):
    heartbeat.cache.set(heartbeat.KEY, {"gone@host": time.time() - 600})

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["worker"].startswith("no worker heartbeat for 60")
