import datetime
import uuid

import pytest
import time_machine
from django.utils import timezone

from goals.factories import GoalFactory, ProgressEntryFactory
from goals.models import Goal, ProgressEntry
from plans.factories import PlanFactory
from tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db

GOAL_KEYS = {
    "id",
    "pdp",
    "title",
    "description",
    "domain",
    "target_date",
    "status",
    "progress",
    "data",
    "completed_at",
    "created_at",
    "updated_at",
    # Additions: measurable goals.
    "measure",
    "unit",
    "direction",
    "start_value",
    "target_value",
    "current_value",
    "key_results",
    "progress_basis",
}
CHECK_IN_KEYS = {"id", "goal", "progress", "note", "created_at"} | {
    # Additions: check-ins.
    "value",
    "key_result",
    "status",
    "evidence_url",
    "source",
    "source_ref",
    "updated_at",
}


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


# --- create, read, update, delete ----------------------------------------------------------


def test_create_answers_201_with_the_contract_shape(api_client, user):
    plan = PlanFactory(user=user)

    response = api_client.post(
        "/api/goals",
        {
            "title": "Run a half marathon",
            "pdp": str(plan.pk),
            "domain": "health",
            "target_date": "2026-09-01",
            "data": {"distance_km": 21.1},
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == GOAL_KEYS
    assert body["pdp"] == str(plan.pk)
    assert (body["status"], body["progress"], body["completed_at"]) == ("active", 0, None)
    assert body["data"] == {"distance_km": 21.1}
    assert Goal.objects.get(pk=body["id"]).user == user


def test_create_without_a_plan_defaults(api_client):
    response = api_client.post("/api/goals", {"title": "Loose"}, format="json")

    assert response.status_code == 201
    assert (response.json()["pdp"], response.json()["domain"]) == (None, "personal")


def test_another_users_plan_in_the_body_is_a_400_field_error(api_client, other_user):
    foreign_plan = PlanFactory(user=other_user)

    response = api_client.post(
        "/api/goals", {"title": "G", "pdp": str(foreign_plan.pk)}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["pdp"]
    assert not Goal.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": " "}, "title"),
        ({"title": "G", "domain": "space"}, "domain"),
        ({"title": "G", "status": "done"}, "status"),
        ({"title": "G", "progress": 101}, "progress"),
        ({"title": "G", "progress": -1}, "progress"),
        ({"title": "G", "progress": "lots"}, "progress"),
        ({"title": "G", "target_date": "2026-13-01"}, "target_date"),
        ({"title": "G", "pdp": "not-a-uuid"}, "pdp"),
        ({"title": "G", "pdp": str(uuid.uuid4())}, "pdp"),
        ({"title": "G", "data": [1, 2]}, "data"),
        ({"title": "G", "data": "text"}, "data"),
        ({"title": "G", "data": None}, "data"),
        ({"title": "G", "data": {"nul": "a\x00b"}}, "data"),
    ],
)
def test_invalid_fields_are_400_and_nothing_is_saved(api_client, body, field):
    response = api_client.post("/api/goals", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Goal.objects.exists()


def test_an_infinite_number_in_data_is_400(api_client):
    response = api_client.post(
        "/api/goals", '{"title": "G", "data": {"x": 1e999}}', content_type="application/json"
    )

    assert response.status_code == 400
    assert "data" in response.json()


def test_setting_progress_logs_it_and_100_completes_the_goal(api_client, user):
    goal = GoalFactory(user=user)

    response = api_client.patch(f"/api/goals/{goal.pk}", {"progress": 100}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "completed"
    assert response.json()["completed_at"] is not None
    assert list(goal.progress_entries.values_list("value", flat=True)) == [100]


def test_status_completed_sets_progress_and_completed_at(api_client, user):
    goal = GoalFactory(user=user, progress=40)

    body = api_client.patch(f"/api/goals/{goal.pk}", {"status": "completed"}).json()

    assert (body["status"], body["progress"]) == ("completed", 100)
    assert body["completed_at"] is not None


def test_reopening_a_completed_goal_clears_completed_at(api_client, user):
    goal = GoalFactory(user=user)
    api_client.patch(f"/api/goals/{goal.pk}", {"progress": 100})

    body = api_client.patch(f"/api/goals/{goal.pk}", {"progress": 80}).json()

    assert (body["status"], body["progress"], body["completed_at"]) == ("active", 80, None)


def test_a_put_of_progress_100_completes_even_though_it_resends_the_status(api_client, user):
    goal = GoalFactory(user=user)

    body = api_client.put(
        f"/api/goals/{goal.pk}", {"title": "G", "status": "active", "progress": 100}
    ).json()

    assert (body["status"], body["progress"]) == ("completed", 100)


def test_an_explicit_status_change_wins_over_progress(api_client, user):
    goal = GoalFactory(user=user, status="on_hold")

    body = api_client.patch(f"/api/goals/{goal.pk}", {"status": "active", "progress": 60}).json()

    assert (body["status"], body["progress"]) == ("active", 60)


def test_put_replaces_every_writable_field(api_client, user):
    plan = PlanFactory(user=user)
    goal = GoalFactory(
        user=user,
        plan=plan,
        description="Old",
        domain="finance",
        target_date=datetime.date(2026, 6, 1),
        data={"a": 1},
    )

    response = api_client.put(f"/api/goals/{goal.pk}", {"title": "New"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "New"
    assert (body["pdp"], body["description"], body["domain"], body["target_date"]) == (
        None,
        "",
        "personal",
        None,
    )
    assert (body["status"], body["progress"], body["data"]) == ("active", 0, {})


def test_patch_changes_only_the_given_fields(api_client, user):
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan, domain="finance", data={"a": 1})

    body = api_client.patch(f"/api/goals/{goal.pk}", {"title": "Renamed"}, format="json").json()

    assert (body["title"], body["pdp"], body["domain"], body["data"]) == (
        "Renamed",
        str(plan.pk),
        "finance",
        {"a": 1},
    )


def test_patch_can_unlink_the_plan(api_client, user):
    goal = GoalFactory(user=user, plan=PlanFactory(user=user))

    body = api_client.patch(f"/api/goals/{goal.pk}", {"pdp": None}, format="json").json()

    assert body["pdp"] is None


def test_delete_keeps_the_goals_tasks_without_a_goal(api_client, user):
    goal = GoalFactory(user=user)
    task = TaskFactory(user=user, goal=goal)

    response = api_client.delete(f"/api/goals/{goal.pk}")

    assert response.status_code == 204
    assert not Goal.objects.filter(pk=goal.pk).exists()
    task.refresh_from_db()
    assert task.goal is None


# --- the progress log ------------------------------------------------------------------


def test_logging_progress_answers_the_entry_and_moves_the_goal(api_client, user):
    goal = GoalFactory(user=user)

    response = api_client.post(
        f"/api/goals/{goal.pk}/progress", {"progress": 40, "note": "Halfway-ish"}, format="json"
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == CHECK_IN_KEYS
    assert (body["goal"], body["progress"], body["note"]) == (str(goal.pk), 40, "Halfway-ish")
    goal.refresh_from_db()
    assert (goal.progress, goal.status) == (40, "active")


def test_logging_100_completes_the_goal(api_client, user):
    goal = GoalFactory(user=user)

    response = api_client.post(f"/api/goals/{goal.pk}/progress", {"progress": 100})

    assert response.status_code == 201
    assert response.json()["note"] == ""
    goal.refresh_from_db()
    assert goal.status == "completed"
    assert goal.completed_at is not None


@pytest.mark.parametrize("value", [101, -1, "ten", None, 10**9])
def test_progress_out_of_range_is_400_and_nothing_is_saved(api_client, user, value):
    goal = GoalFactory(user=user, progress=30)

    response = api_client.post(f"/api/goals/{goal.pk}/progress", {"progress": value}, format="json")

    assert response.status_code == 400
    assert "progress" in response.json()
    assert not ProgressEntry.objects.exists()
    goal.refresh_from_db()
    assert goal.progress == 30


def test_progress_is_required(api_client, user):
    goal = GoalFactory(user=user)

    response = api_client.post(f"/api/goals/{goal.pk}/progress", {"note": "no value"})

    assert response.status_code == 400
    assert "progress" in response.json()


def test_the_progress_log_lists_newest_first_and_is_paginated(api_client, user):
    goal = GoalFactory(user=user)
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(25):
        ProgressEntryFactory(goal=goal, value=day, created_at=start + datetime.timedelta(day))
    ProgressEntryFactory(goal=GoalFactory(user=user), value=99)  # another goal's log

    first = api_client.get(f"/api/goals/{goal.pk}/progress")
    second = api_client.get(f"/api/goals/{goal.pk}/progress?page=2")

    assert first.status_code == 200
    assert first.json()["count"] == 25
    values = [row["progress"] for row in first.json()["results"] + second.json()["results"]]
    assert values == list(range(24, -1, -1))


def test_an_entry_logged_now_comes_first(api_client, user):
    goal = GoalFactory(user=user)
    ProgressEntryFactory(goal=goal, value=10, created_at=timezone.now() - datetime.timedelta(1))

    api_client.post(f"/api/goals/{goal.pk}/progress", {"progress": 20})

    results = api_client.get(f"/api/goals/{goal.pk}/progress").json()["results"]
    assert [row["progress"] for row in results] == [20, 10]


# --- ownership, ids and authentication -------------------------------------------------

ROUTES = [
    ("get", "/api/goals/{id}"),
    ("put", "/api/goals/{id}"),
    ("patch", "/api/goals/{id}"),
    ("delete", "/api/goals/{id}"),
    ("get", "/api/goals/{id}/progress"),
    ("post", "/api/goals/{id}/progress"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_another_users_goal_is_404_on_every_route_and_stays_untouched(
    api_client, other_user, method, route
):
    foreign = GoalFactory(user=other_user, title="Theirs", progress=10)

    response = getattr(api_client, method)(
        route.format(id=foreign.pk), {"title": "Mine", "progress": 90}, format="json"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    foreign.refresh_from_db()
    assert (foreign.title, foreign.progress) == ("Theirs", 10)
    assert not ProgressEntry.objects.exists()


@pytest.mark.parametrize(("method", "route"), ROUTES)
@pytest.mark.parametrize("bad_id", ["not-a-uuid", str(uuid.uuid4())])
def test_malformed_or_unknown_ids_are_404(api_client, method, route, bad_id):
    response = getattr(api_client, method)(route.format(id=bad_id), {"progress": 5}, format="json")

    assert response.status_code == 404


def test_without_a_token_the_answer_is_401(anon_client):
    assert anon_client.get("/api/goals").status_code == 401
    assert anon_client.post(f"/api/goals/{uuid.uuid4()}/progress").status_code == 401


# --- filters, search, ordering, pagination ---------------------------------------------


def test_the_list_holds_only_your_goals(api_client, user, other_user):
    GoalFactory(user=user, title="mine")
    GoalFactory(user=other_user, title="theirs")

    assert titles(api_client.get("/api/goals")) == ["mine"]


def test_filter_by_plan_status_and_domain(api_client, user, other_user):
    plan = PlanFactory(user=user)
    GoalFactory(user=user, title="in plan", plan=plan, domain="health")
    GoalFactory(user=user, title="on hold", status="on_hold", domain="finance")
    GoalFactory(user=user, title="done", status="completed", completed_at=timezone.now())
    GoalFactory(user=other_user, title="foreign", plan=PlanFactory(user=other_user))

    assert titles(api_client.get(f"/api/goals?pdp={plan.pk}")) == ["in plan"]
    assert titles(api_client.get("/api/goals?status=on_hold")) == ["on hold"]
    assert titles(api_client.get("/api/goals?status=completed")) == ["done"]
    assert titles(api_client.get("/api/goals?domain=health")) == ["in plan"]
    assert titles(api_client.get("/api/goals?domain=finance&status=active")) == []


def test_target_before_and_after_include_the_given_day(api_client, user):
    for month in (3, 6, 9):
        GoalFactory(user=user, title=f"m{month}", target_date=datetime.date(2026, month, 1))
    GoalFactory(user=user, title="undated")

    ordered = "&ordering=target_date"
    assert titles(api_client.get("/api/goals?target_before=2026-06-01" + ordered)) == ["m3", "m6"]
    assert titles(api_client.get("/api/goals?target_after=2026-06-01" + ordered)) == ["m6", "m9"]


@pytest.mark.parametrize(
    "query",
    [
        "pdp=nope",
        "status=done",
        "domain=space",
        "target_before=2026-02-30",
        "target_after=soon",
        "search=%00",
    ],
)
def test_invalid_filter_values_are_400_naming_the_parameter(api_client, query):
    response = api_client.get(f"/api/goals?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_search_matches_title_and_description(api_client, user):
    GoalFactory(user=user, title="Learn Spanish", description="")
    GoalFactory(user=user, title="Travel", description="speak spanish in Madrid")
    GoalFactory(user=user, title="Other", description="")

    assert sorted(titles(api_client.get("/api/goals?search=spanish"))) == [
        "Learn Spanish",
        "Travel",
    ]


def test_ordering(api_client, user):
    GoalFactory(user=user, title="b", progress=50, target_date=None)
    GoalFactory(user=user, title="a", progress=10, target_date=datetime.date(2026, 5, 1))
    GoalFactory(user=user, title="c", progress=90, target_date=datetime.date(2026, 4, 1))

    assert titles(api_client.get("/api/goals?ordering=progress")) == ["a", "b", "c"]
    assert titles(api_client.get("/api/goals?ordering=-progress")) == ["c", "b", "a"]
    assert titles(api_client.get("/api/goals?ordering=title")) == ["a", "b", "c"]
    assert titles(api_client.get("/api/goals?ordering=target_date")) == ["c", "a", "b"]


def test_newest_first_by_default(api_client, user):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=2)):
        GoalFactory(user=user, title="older")
    GoalFactory(user=user, title="newer")

    assert titles(api_client.get("/api/goals")) == ["newer", "older"]


def test_pagination_edges(api_client, user):
    GoalFactory.create_batch(21, user=user)

    assert len(api_client.get("/api/goals").json()["results"]) == 20
    assert len(api_client.get("/api/goals?page=2").json()["results"]) == 1
    assert api_client.get("/api/goals?page=3").status_code == 404
    assert len(api_client.get("/api/goals?page_size=101").json()["results"]) == 21


@pytest.mark.parametrize("rows", [5, 200])
def test_the_list_costs_the_same_few_queries_whatever_its_length(
    api_client, user, rows, django_assert_num_queries
):
    plan = PlanFactory(user=user)
    GoalFactory.create_batch(rows, user=user, plan=plan)

    with django_assert_num_queries(3):
        # 1. the user named by the JWT, 2. COUNT(*) for the page, 3. the page of goals
        response = api_client.get("/api/goals?page_size=100")

    assert len(response.json()["results"]) == min(rows, 100)


@pytest.mark.parametrize("rows", [5, 200])
def test_the_progress_log_costs_the_same_few_queries_whatever_its_length(
    api_client, user, rows, django_assert_num_queries
):
    goal = GoalFactory(user=user)
    ProgressEntryFactory.create_batch(rows, goal=goal)

    with django_assert_num_queries(4):
        # 1. the user named by the JWT, 2. the goal (ownership), 3. COUNT(*), 4. the page
        response = api_client.get(f"/api/goals/{goal.pk}/progress?page_size=100")

    assert len(response.json()["results"]) == min(rows, 100)
