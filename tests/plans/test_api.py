import datetime
import uuid

import pytest

from goals.factories import GoalFactory
from goals.models import Goal
from plans.factories import PlanFactory
from plans.models import Plan
from tasks.factories import TaskFactory
from tasks.models import Task

pytestmark = pytest.mark.django_db

PDP_KEYS = {
    "id",
    "title",
    "description",
    "vision",
    "start_date",
    "end_date",
    "data",
    "progress",
    "goal_count",
    "created_at",
    "updated_at",
    # Additions: plan reviews and sharing.
    "review_cadence",
    "next_review_date",
    "shared",
}


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


# --- create, read, update ----------------------------------------------------------------


def test_create_answers_201_with_the_contract_shape(api_client, user):
    response = api_client.post(
        "/api/pdps",
        {
            "title": "Growth 2026",
            "vision": "Calm and fit",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "data": {"focus": ["health"]},
        },
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == PDP_KEYS
    assert (body["progress"], body["goal_count"]) == (0, 0)
    assert body["data"] == {"focus": ["health"]}
    assert Plan.objects.get(pk=body["id"]).user == user


def test_progress_and_goal_count_come_from_the_goals_and_are_read_only(api_client, user):
    plan = PlanFactory(user=user)
    GoalFactory(user=user, plan=plan, progress=20)
    GoalFactory(user=user, plan=plan, progress=51)
    GoalFactory(user=user, progress=100)  # not in the plan

    response = api_client.patch(
        f"/api/pdps/{plan.pk}", {"progress": 99, "goal_count": 7}, format="json"
    )

    assert response.status_code == 200
    # The mean of 20 and 51, rounded.
    assert (response.json()["progress"], response.json()["goal_count"]) == (36, 2)
    assert api_client.get(f"/api/pdps/{plan.pk}").json()["progress"] == 36


def test_the_end_date_may_not_precede_the_start_date(api_client, user):
    response = api_client.post(
        "/api/pdps",
        {"title": "P", "start_date": "2026-06-01", "end_date": "2026-05-31"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["end_date"]
    assert not Plan.objects.exists()


def test_patching_only_the_end_date_is_checked_against_the_stored_start(api_client, user):
    plan = PlanFactory(user=user, start_date=datetime.date(2026, 6, 1))

    response = api_client.patch(f"/api/pdps/{plan.pk}", {"end_date": "2026-01-01"})

    assert response.status_code == 400
    assert "end_date" in response.json()
    plan.refresh_from_db()
    assert plan.end_date != datetime.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"title": "P", "start_date": "01/02/2026"}, "start_date"),
        ({"title": "P", "data": [1]}, "data"),
        ({"title": "P", "data": 3}, "data"),
        ({"title": "P", "data": "{}"}, "data"),
        ({"title": "P", "data": {"k": "\x00"}}, "data"),
    ],
)
def test_invalid_fields_are_400_and_nothing_is_saved(api_client, body, field):
    response = api_client.post("/api/pdps", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        '{"title": "P", "data": {"x": NaN}}',
        '{"title": "P", "data": {"x": 1e999}}',
        '{"title": "P", "data": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"title": "P",',
        "",
    ],
)
def test_json_that_cannot_be_stored_is_400_never_500(api_client, payload):
    response = api_client.post("/api/pdps", payload, content_type="application/json")

    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_put_replaces_and_patch_updates(api_client, user):
    plan = PlanFactory(user=user, description="Old", vision="Far", data={"a": 1})

    patched = api_client.patch(f"/api/pdps/{plan.pk}", {"title": "Patched"}, format="json")
    assert (patched.json()["description"], patched.json()["data"]) == ("Old", {"a": 1})

    put = api_client.put(f"/api/pdps/{plan.pk}", {"title": "Put"}, format="json")
    assert put.status_code == 200
    body = put.json()
    assert (body["title"], body["description"], body["vision"], body["data"]) == (
        "Put",
        "",
        "",
        {},
    )
    assert (body["start_date"], body["end_date"]) == (None, None)


# --- delete --------------------------------------------------------------------------------


def test_delete_keeps_the_goals_without_a_plan(api_client, user):
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan)

    response = api_client.delete(f"/api/pdps/{plan.pk}")

    assert response.status_code == 204
    assert not Plan.objects.filter(pk=plan.pk).exists()
    goal.refresh_from_db()
    assert goal.plan is None


def test_delete_with_cascade_deletes_the_goals_and_keeps_their_tasks(api_client, user):
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan)
    task = TaskFactory(user=user, goal=goal)
    other_goal = GoalFactory(user=user)

    response = api_client.delete(f"/api/pdps/{plan.pk}?cascade=true")

    assert response.status_code == 204
    assert list(Goal.objects.all()) == [other_goal]
    task.refresh_from_db()
    assert task.goal is None


def test_cascade_false_keeps_the_goals(api_client, user):
    plan = PlanFactory(user=user)
    GoalFactory(user=user, plan=plan)

    assert api_client.delete(f"/api/pdps/{plan.pk}?cascade=false").status_code == 204
    assert Goal.objects.count() == 1


def test_an_invalid_cascade_value_is_400_and_deletes_nothing(api_client, user):
    plan = PlanFactory(user=user)
    GoalFactory(user=user, plan=plan)

    response = api_client.delete(f"/api/pdps/{plan.pk}?cascade=perhaps")

    assert response.status_code == 400
    assert "cascade" in response.json()
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert Goal.objects.count() == 1


# --- ownership, ids and authentication -------------------------------------------------

ROUTES = ["get", "put", "patch", "delete"]


@pytest.mark.parametrize("method", ROUTES)
def test_another_users_plan_is_404_on_every_route_and_stays_untouched(
    api_client, other_user, method
):
    foreign = PlanFactory(user=other_user, title="Theirs")
    goal = GoalFactory(user=other_user, plan=foreign)

    response = getattr(api_client, method)(
        f"/api/pdps/{foreign.pk}?cascade=true", {"title": "Mine"}, format="json"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    foreign.refresh_from_db()
    assert foreign.title == "Theirs"
    goal.refresh_from_db()
    assert goal.plan == foreign


@pytest.mark.parametrize("method", ROUTES)
@pytest.mark.parametrize("bad_id", ["not-a-uuid", "0", str(uuid.uuid4())])
def test_malformed_or_unknown_ids_are_404(api_client, method, bad_id):
    response = getattr(api_client, method)(f"/api/pdps/{bad_id}", {"title": "x"}, format="json")

    assert response.status_code == 404


def test_without_a_token_the_answer_is_401(anon_client):
    assert anon_client.get("/api/pdps").status_code == 401
    assert anon_client.post("/api/pdps", {"title": "P"}).status_code == 401
    assert not Plan.objects.exists()


def test_an_invalid_token_is_401(anon_client):
    anon_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")

    assert anon_client.get("/api/pdps").status_code == 401


def test_a_method_not_allowed_is_405(api_client):
    assert api_client.delete("/api/pdps").status_code == 405


# --- list: search, ordering, pagination, cost ------------------------------------------


def test_the_list_holds_only_your_plans(api_client, user, other_user):
    PlanFactory(user=user, title="mine")
    PlanFactory(user=other_user, title="theirs")

    assert titles(api_client.get("/api/pdps")) == ["mine"]


def test_search_matches_title_and_description(api_client, user):
    PlanFactory(user=user, title="Career move", description="")
    PlanFactory(user=user, title="Year plan", description="a career in data")
    PlanFactory(user=user, title="Health", description="")

    assert sorted(titles(api_client.get("/api/pdps?search=CAREER"))) == ["Career move", "Year plan"]


def test_ordering_by_progress_and_goal_count(api_client, user):
    low, high, _empty = (PlanFactory(user=user, title=name) for name in ("low", "high", "empty"))
    GoalFactory(user=user, plan=low, progress=10)
    GoalFactory(user=user, plan=high, progress=90)
    GoalFactory(user=user, plan=high, progress=70)

    assert titles(api_client.get("/api/pdps?ordering=-progress")) == ["high", "low", "empty"]
    assert titles(api_client.get("/api/pdps?ordering=goal_count")) == ["empty", "low", "high"]
    assert titles(api_client.get("/api/pdps?ordering=title")) == ["empty", "high", "low"]


def test_pagination_edges(api_client, user):
    PlanFactory.create_batch(22, user=user)

    first = api_client.get("/api/pdps").json()
    assert (first["count"], len(first["results"])) == (22, 20)
    assert len(api_client.get("/api/pdps?page=2").json()["results"]) == 2
    assert api_client.get("/api/pdps?page=3").status_code == 404
    assert len(api_client.get("/api/pdps?page_size=2").json()["results"]) == 2


@pytest.mark.parametrize("rows", [5, 200])
def test_the_list_costs_the_same_few_queries_whatever_its_length(
    api_client, user, rows, django_assert_num_queries
):
    for plan in PlanFactory.create_batch(rows, user=user):
        GoalFactory(user=user, plan=plan, progress=50)

    with django_assert_num_queries(3):
        # 1. the user named by the JWT, 2. COUNT(*) for the page,
        # 3. the page of plans with progress and goal_count aggregated in the same query
        response = api_client.get("/api/pdps?page_size=100")

    results = response.json()["results"]
    assert len(results) == min(rows, 100)
    assert {(row["progress"], row["goal_count"]) for row in results} == {(50, 1)}


def test_tasks_survive_any_plan_deletion(api_client, user):
    plan = PlanFactory(user=user)
    TaskFactory(user=user, goal=GoalFactory(user=user, plan=plan))
    TaskFactory(user=user)

    api_client.delete(f"/api/pdps/{plan.pk}?cascade=1")

    assert Task.objects.count() == 2


@pytest.mark.parametrize(
    "data", ["[" * 100_000 + "]" * 100_000, "not json", "[1]", "NaN", '{"a": "\\u0000"}']
)
def test_form_encoded_data_is_checked_like_json(api_client, data):
    response = api_client.post("/api/pdps", {"title": "P", "data": data}, format="multipart")

    assert response.status_code == 400
    assert "data" in response.json()
    assert not Plan.objects.exists()


def test_form_encoded_data_object_is_accepted(api_client):
    response = api_client.post("/api/pdps", {"title": "P", "data": '{"a": 1}'}, format="multipart")

    assert response.status_code == 201
    assert response.json()["data"] == {"a": 1}
