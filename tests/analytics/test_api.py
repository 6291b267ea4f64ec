"""The analytics API: /api/analytics/summary, /goals and /productivity."""

import pytest

from goals.factories import GoalFactory, ProgressEntryFactory
from tasks.factories import TaskFactory

from .clock import at, on

ENDPOINTS = ["/api/analytics/summary", "/api/analytics/goals", "/api/analytics/productivity"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_is_401(anon_client, url):
    assert anon_client.get(url).status_code == 401


@pytest.mark.parametrize("url", ENDPOINTS)
def test_with_and_without_trailing_slash(api_client, url):
    assert api_client.get(url).status_code == 200
    assert api_client.get(url + "/").status_code == 200


@pytest.mark.parametrize("url", ENDPOINTS)
def test_writes_are_405(api_client, url):
    assert api_client.post(url, {}, format="json").status_code == 405


def test_summary(api_client, user, other_user):
    TaskFactory(user=user, priority=1, due_date=on(11), completed_at=at(11, 9))
    TaskFactory(user=user, due_date=on(10))
    TaskFactory(user=other_user, completed_at=at(11, 9))

    body = api_client.get("/api/analytics/summary").json()

    assert body["as_of"] == "2026-03-11"
    assert body["week"] == {"start": "2026-03-09", "end": "2026-03-15"}
    assert body["tasks"] == {
        "total": 2,
        "completed": 1,
        "open": 1,
        "overdue": 1,
        "due_this_week": 0,
        "completed_this_week": 1,
    }
    # 5 earned of 5 + 3 possible points
    assert body["productivity_score"] == 62
    assert body["score_parts"]["possible_points"] == 8
    assert body["streak_days"] == 1
    assert body["goals"]["average_progress"] is None


def test_goals(api_client, user, other_user):
    goal = GoalFactory(user=user, created_at=at(1), target_date=on(21), progress=30)
    ProgressEntryFactory(goal=goal, value=30, created_at=at(5, 8, 15))
    GoalFactory(user=other_user)

    body = api_client.get("/api/analytics/goals").json()

    assert body["as_of"] == "2026-03-11"
    (tracked,) = body["goals"]
    assert tracked["id"] == str(goal.pk)
    assert tracked["expected_progress"] == 50
    assert tracked["on_track"] is False
    assert tracked["projected_completion"] is None
    assert tracked["projection_reason"] == "too_few_entries"
    assert tracked["history"] == [
        {"at": "2026-03-05T08:15:00Z", "date": "2026-03-05", "progress": 30}
    ]


def test_productivity(api_client, user):
    TaskFactory(user=user, priority=3, due_date=on(9), completed_at=at(10))

    body = api_client.get("/api/analytics/productivity?period=week").json()

    assert (body["period"], body["from"], body["to"]) == ("week", "2026-03-09", "2026-03-15")
    assert body["score"] == 50
    assert body["parts"]["completed_late"] == 1
    assert "6 - priority" in body["formula"]
    assert [day["date"] for day in body["series"]] == ["2026-03-09", "2026-03-10", "2026-03-11"]
    # Each day's score covers the 7 days ending on it: nothing yet on the 9th.
    assert [day["score"] for day in body["series"]] == [None, 50, 50]


def test_empty_period_means_the_default_week(api_client):
    body = api_client.get("/api/analytics/productivity?period=").json()

    assert (body["period"], body["from"]) == ("week", "2026-03-09")


def test_productivity_of_a_chosen_range(api_client, user):
    TaskFactory(user=user, completed_at=at(10, month=2))

    body = api_client.get("/api/analytics/productivity?from=2026-02-01&to=2026-02-28").json()

    assert (body["from"], body["to"]) == ("2026-02-01", "2026-02-28")
    assert len(body["series"]) == 28
    assert body["score"] == 100


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period=year", "period"),
        ("from=2026-02-30&to=2026-03-01", "from"),
        ("from=yesterday&to=2026-03-01", "from"),
        ("from=2026-03-01", "to"),
        ("to=2026-03-01", "from"),
        ("from=2026-03-02&to=2026-03-01", "to"),
        ("from=2025-01-01&to=2026-03-01", "to"),
        ("from=" + "9" * 5000 + "&to=2026-03-01", "from"),
        # The week before `from` and the midnight after `to` would leave `datetime.date`.
        ("from=0001-01-01&to=0001-01-03", "from"),
        ("from=9999-12-30&to=9999-12-31", "from"),
        ("from=1899-12-31&to=1900-01-06", "from"),
        ("from=9998-12-31&to=9999-01-01", "to"),
    ],
)
def test_bad_productivity_query_is_400(api_client, query, field):
    response = api_client.get(f"/api/analytics/productivity?{query}")

    assert response.status_code == 400
    assert field in response.json()


def test_a_change_shows_at_once(api_client, user):
    task = TaskFactory(user=user)
    assert api_client.get("/api/analytics/summary").json()["tasks"]["completed"] == 0

    assert api_client.post(f"/api/tasks/{task.pk}/complete").status_code == 200

    assert api_client.get("/api/analytics/summary").json()["tasks"]["completed"] == 1


def test_schema_documents_the_endpoints(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    paths = set(schema["paths"])
    assert {
        "/api/analytics/summary",
        "/api/analytics/goals",
        "/api/analytics/productivity",
    } <= paths
    productivity = schema["paths"]["/api/analytics/productivity"]["get"]
    assert {parameter["name"] for parameter in productivity["parameters"]} == {
        "period",
        "from",
        "to",
    }
    assert "400" in productivity["responses"]
