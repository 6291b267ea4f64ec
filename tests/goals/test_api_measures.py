"""The API of measurable goals: measures, key results and check-ins."""

import datetime
import uuid
from decimal import Decimal

import pytest

from goals import services
from goals.factories import GoalFactory, KeyResultFactory
from goals.models import Goal
from plans.factories import PlanFactory
from tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db

KEY_RESULT_KEYS = {"id", "title", "unit", "direction", "start_value", "target_value"} | {
    "current_value",
    "weight",
    "progress",
}


def create(api_client, **body):
    response = api_client.post("/api/goals", {"title": "G"} | body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_a_metric_goal_answers_its_measure_and_how_progress_was_computed(api_client):
    body = create(
        api_client,
        measure="metric",
        unit="km",
        start_value=0,
        target_value=21.1,
        current_value=5.28,
    )

    assert (body["measure"], body["direction"], body["unit"]) == ("metric", "up", "km")
    assert (body["start_value"], body["target_value"], body["current_value"]) == (0, 21.1, 5.28)
    assert body["progress"] == 25
    assert body["progress_basis"] == "5.28 km on the way from 0 km to 21.1 km."
    assert body["key_results"] == []


def test_a_value_with_more_than_two_decimals_is_a_400(api_client):
    response = api_client.post(
        "/api/goals",
        {"title": "G", "measure": "metric", "start_value": 0, "target_value": 1.005},
        format="json",
    )

    assert response.status_code == 400
    assert "target_value" in response.json()


def test_progress_of_a_derived_goal_is_read_only(api_client):
    body = create(api_client, measure="metric", start_value=10, target_value=0, direction="down")

    patched = api_client.patch(f"/api/goals/{body['id']}", {"progress": 90}, format="json")

    assert patched.status_code == 200
    assert patched.json()["progress"] == 0


def test_a_metric_without_a_target_is_a_400_on_the_field(api_client):
    response = api_client.post(
        "/api/goals", {"title": "G", "measure": "metric", "start_value": 1}, format="json"
    )

    assert response.status_code == 400
    assert "target_value" in response.json()
    assert not Goal.objects.exists()


def test_a_target_date_outside_the_plan_is_a_400_on_target_date(api_client, user):
    plan = PlanFactory(
        user=user, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 3, 31)
    )

    response = api_client.post(
        "/api/goals",
        {"title": "G", "pdp": str(plan.pk), "target_date": "2026-04-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "target_date" in response.json()


def test_check_in_with_a_value_moves_the_metric_and_completes_at_the_target(api_client):
    goal = create(
        api_client, measure="metric", unit="kg", start_value=92, target_value=82, direction="down"
    )

    first = api_client.post(
        f"/api/goals/{goal['id']}/progress",
        {"value": 87, "status": "at_risk", "evidence_url": "https://scale.example/87"},
        format="json",
    )
    assert first.status_code == 201, first.content
    assert (first.json()["progress"], first.json()["value"], first.json()["status"]) == (
        50,
        87,
        "at_risk",
    )
    assert first.json()["source"] == "manual"

    api_client.post(f"/api/goals/{goal['id']}/progress", {"value": 82}, format="json")
    body = api_client.get(f"/api/goals/{goal['id']}").json()
    assert (body["progress"], body["status"], body["current_value"]) == (100, "completed", 82)


def test_a_metric_goal_needs_a_value(api_client):
    goal = create(api_client, measure="metric", start_value=0, target_value=10)

    response = api_client.post(f"/api/goals/{goal['id']}/progress", {"note": "?"}, format="json")

    assert response.status_code == 400
    assert "value" in response.json()


def test_editing_and_deleting_check_ins_reopens_and_recomputes(api_client, user):
    goal = create(api_client, measure="metric", start_value=0, target_value=10)
    url = f"/api/goals/{goal['id']}/progress"
    kept = api_client.post(url, {"value": 4}, format="json").json()
    last = api_client.post(url, {"value": 10}, format="json").json()
    assert api_client.get(f"/api/goals/{goal['id']}").json()["status"] == "completed"

    edited = api_client.patch(f"{url}/{last['id']}", {"value": 7, "note": "Oops"}, format="json")

    assert edited.status_code == 200
    assert (edited.json()["progress"], edited.json()["note"]) == (70, "Oops")
    body = api_client.get(f"/api/goals/{goal['id']}").json()
    assert (body["progress"], body["status"], body["completed_at"]) == (70, "active", None)

    assert api_client.delete(f"{url}/{last['id']}").status_code == 204
    assert api_client.get(f"/api/goals/{goal['id']}").json()["progress"] == 40
    assert [row["id"] for row in api_client.get(url).json()["results"]] == [kept["id"]]


def test_a_bad_check_in_edit_is_a_400_and_changes_nothing(api_client, user):
    goal = GoalFactory(user=user)
    entry = services.log_progress(goal=goal, value=30)

    response = api_client.patch(
        f"/api/goals/{goal.pk}/progress/{entry.pk}", {"progress": 300}, format="json"
    )

    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.value == 30


def test_someone_elses_check_in_or_key_result_is_404(api_client, other_user):
    goal = GoalFactory(user=other_user, measure="key_results")
    result = KeyResultFactory(goal=goal)
    entry = services.check_in(goal=goal, key_result=result, value=Decimal(5))

    for path in (
        f"/api/goals/{goal.pk}/progress/{entry.pk}",
        f"/api/goals/{goal.pk}/key-results/{result.pk}",
        f"/api/goals/{goal.pk}/progress/{uuid.uuid4()}",
        f"/api/goals/{goal.pk}/key-results/not-a-uuid",
    ):
        assert api_client.patch(path, {"value": 1}, format="json").status_code == 404
        assert api_client.delete(path).status_code == 404
    assert api_client.get(f"/api/goals/{goal.pk}/key-results").status_code == 404
    entry.refresh_from_db()
    assert entry.metric_value == 5


def test_key_results_crud_and_the_goal_follows(api_client):
    goal = create(api_client, measure="key_results")
    url = f"/api/goals/{goal['id']}/key-results"

    made = api_client.post(
        url, {"title": "Chapters", "start_value": 0, "target_value": 10, "weight": 3}
    )
    assert made.status_code == 201, made.content
    assert set(made.json()) == KEY_RESULT_KEYS
    other = api_client.post(url, {"title": "Readers", "start_value": 0, "target_value": 4})
    chapters, readers = made.json()["id"], other.json()["id"]

    patched = api_client.patch(f"{url}/{chapters}", {"current_value": 10}, format="json")
    assert (patched.status_code, patched.json()["progress"]) == (200, 100)
    assert api_client.get(f"/api/goals/{goal['id']}").json()["progress"] == 75
    api_client.post(
        f"/api/goals/{goal['id']}/progress", {"key_result": readers, "value": 2}, format="json"
    )
    body = api_client.get(f"/api/goals/{goal['id']}").json()
    assert body["progress"] == 88
    assert [row["title"] for row in body["key_results"]] == ["Chapters", "Readers"]

    assert api_client.delete(f"{url}/{chapters}").status_code == 204
    assert api_client.get(f"/api/goals/{goal['id']}").json()["progress"] == 50
    assert api_client.get(url).json()["count"] == 1


def test_a_key_result_value_needs_its_key_result_and_a_foreign_one_is_400(api_client, user):
    goal = create(api_client, measure="key_results")
    foreign = KeyResultFactory(goal=GoalFactory(user=user, measure="key_results"))
    url = f"/api/goals/{goal['id']}/progress"

    assert "value" in api_client.post(url, {"note": "?"}, format="json").json()
    missing = api_client.post(url, {"value": 3}, format="json")
    assert (missing.status_code, "key_result" in missing.json()) == (400, True)
    wrong = api_client.post(url, {"value": 3, "key_result": str(foreign.pk)}, format="json")
    assert (wrong.status_code, "key_result" in wrong.json()) == (400, True)


def test_key_results_only_for_a_goal_measured_by_them_and_at_most_five(api_client):
    manual = create(api_client)
    refused = api_client.post(
        f"/api/goals/{manual['id']}/key-results",
        {"title": "KR", "start_value": 0, "target_value": 1},
    )
    assert refused.status_code == 400

    goal = create(api_client, measure="key_results")
    url = f"/api/goals/{goal['id']}/key-results"
    for number in range(5):
        api_client.post(url, {"title": f"KR {number}", "start_value": 0, "target_value": 1})
    sixth = api_client.post(url, {"title": "Sixth", "start_value": 0, "target_value": 1})
    assert sixth.status_code == 400
    assert "at most 5" in sixth.json()["detail"]


def test_a_tasks_goal_moves_with_its_tasks_and_logs_evidence(api_client, user):
    goal = create(api_client, measure="tasks")
    task = TaskFactory(user=user, goal=Goal.objects.get(pk=goal["id"]), priority=1)
    TaskFactory(user=user, goal=Goal.objects.get(pk=goal["id"]), priority=5)

    api_client.post(f"/api/tasks/{task.pk}/complete")

    body = api_client.get(f"/api/goals/{goal['id']}").json()
    assert body["progress"] == 83
    log = api_client.get(f"/api/goals/{goal['id']}/progress").json()["results"]
    assert (log[0]["source"], log[0]["source_ref"]) == ("task", str(task.pk))
    refused = api_client.post(f"/api/goals/{goal['id']}/progress", {"progress": 50})
    assert (refused.status_code, "progress" in refused.json()) == (400, True)


@pytest.mark.parametrize("rows", [5, 60])
def test_the_list_with_key_results_costs_the_same_few_queries(
    api_client, user, rows, django_assert_num_queries
):
    for _ in range(rows):
        KeyResultFactory.create_batch(2, goal=GoalFactory(user=user, measure="key_results"))
    GoalFactory.create_batch(rows, user=user, measure="metric", start_value=0, target_value=1)

    with django_assert_num_queries(4):
        # 1. the user named by the JWT, 2. COUNT(*), 3. the page of goals, 4. their key results
        response = api_client.get("/api/goals?page_size=100")

    results = response.json()["results"]
    assert len(results) == min(2 * rows, 100)
    assert {len(row["key_results"]) for row in results if row["measure"] == "key_results"} == {2}


def test_the_schema_documents_the_new_fields_and_routes(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    goal = schema["components"]["schemas"]["Goal"]["properties"]
    for field in ("measure", "unit", "direction", "start_value", "target_value"):
        assert field in goal
    assert {"current_value", "key_results", "progress_basis"} <= set(goal)
    check_in = schema["components"]["schemas"]["ProgressEntry"]["properties"]
    assert {"value", "key_result", "status", "evidence_url", "source"} <= set(check_in)
    paths = schema["paths"]
    assert {"patch", "delete"} <= set(paths["/api/goals/{id}/progress/{entry_id}"])
    assert {"get", "post"} <= set(paths["/api/goals/{id}/key-results"])
    assert {"patch", "delete"} <= set(paths["/api/goals/{id}/key-results/{kr_id}"])
    assert {"get", "post"} <= set(paths["/api/pdps/{id}/reviews"])
    assert "get" in paths["/api/pdps/{id}/reviews/{review_id}"]
    assert {"post", "delete"} <= set(paths["/api/pdps/{id}/share"])
