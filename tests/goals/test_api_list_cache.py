"""`GET /api/goals` answered from the per-user cache: fresh after each kind of write, one
answer per language, no query on a hit."""

import pytest

from goals import services
from goals.models import Measure
from plans import services as plan_services
from plans.factories import PlanFactory
from tasks import services as task_services


@pytest.fixture
def goal(user):
    return services.create_goal(user=user, title="Run a marathon", plan=PlanFactory(user=user))


def listed(api_client, **headers):
    response = api_client.get("/api/goals", **headers)
    assert response.status_code == 200
    return response.json()


def test_a_hit_answers_the_same_without_a_query(api_client, goal, django_assert_num_queries):
    first = listed(api_client)

    with django_assert_num_queries(0):
        assert listed(api_client) == first


WRITES = {
    "check-in": lambda goal: services.log_progress(goal=goal, value=40),
    "update": lambda goal: services.update_goal(goal=goal, title="Renamed"),
    "key result": lambda goal: services.create_key_result(
        goal=services.update_goal(goal=goal, measure=Measure.KEY_RESULTS),
        title="10 km",
        start_value=0,
        target_value=10,
    ),
    "task done": lambda goal: task_services.complete_task(
        task=task_services.create_task(
            user=services.update_goal(goal=goal, measure=Measure.TASKS).user,
            title="Train",
            goal=goal,
        )
    ),
    "delete": lambda goal: services.delete_goal(goal=goal),
    "plan deleted": lambda goal: plan_services.delete_plan(plan=goal.plan, cascade=False),
}


@pytest.mark.parametrize("write", WRITES)
def test_the_next_answer_after_a_write_is_fresh(api_client, goal, write):
    before = listed(api_client)

    WRITES[write](goal)

    assert listed(api_client) != before


def test_each_language_has_its_own_answer(api_client, goal):
    english = listed(api_client, HTTP_ACCEPT_LANGUAGE="en")["results"][0]["progress_basis"]
    ukrainian = listed(api_client, HTTP_ACCEPT_LANGUAGE="uk")["results"][0]["progress_basis"]

    assert english != ukrainian
