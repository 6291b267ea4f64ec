"""No page or API answer is a 500, whatever is in the query string or the form.

Each page and endpoint is sent values of the wrong type, size and encoding for every field it
reads; all it may answer is a page, a redirect or a 4xx.
"""

import pytest

from goals.factories import GoalFactory
from plans.factories import PlanFactory
from tasks.factories import TaskFactory

HOSTILE_VALUES = [
    "",
    "x" * 5000,
    "\x00",
    "-1",
    "99999999999999999999",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%",
    "1e309",
]

QUERY_FIELDS = [
    "q", "search", "status", "priority", "due", "goal", "plan", "page", "page_size",
    "ordering", "from", "to", "period", "format", "bom", "next", "completed", "overdue",
    "pdp", "domain", "due_before", "due_after", "target_before", "target_after", "cascade",
    "has_due_date",
]  # fmt: skip


@pytest.fixture
def objects(user):
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan)
    task = TaskFactory(user=user, goal=goal)
    return {"plan": plan, "goal": goal, "task": task}


def pages(objects):
    plan, goal, task = objects["plan"], objects["goal"], objects["task"]
    return [
        "/",
        "/dashboard",
        "/plans/",
        "/plans/new",
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/edit",
        "/goals/",
        "/goals/new",
        f"/goals/{goal.pk}/",
        f"/goals/{goal.pk}/edit",
        "/tasks/",
        "/tasks/new",
        f"/tasks/{task.pk}/edit",
        "/analytics/",
        "/reports/",
        "/settings/",
        "/api/pdps",
        "/api/goals",
        "/api/tasks",
        f"/api/goals/{goal.pk}/progress",
        "/api/analytics/summary",
        "/api/analytics/goals",
        "/api/analytics/productivity",
        "/api/reports",
    ]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_query_strings_never_cause_a_server_error(web_client, objects, value):
    for page in pages(objects):
        response = web_client.get(page, dict.fromkeys(QUERY_FIELDS, value))
        assert response.status_code < 500, (page, value)


FORMS = {
    "/plans/new": ["title", "description", "vision", "start_date", "end_date"],
    "/goals/new": ["title", "description", "plan", "domain", "target_date", "status", "progress"],
    "/tasks/new": ["title", "description", "goal", "priority", "due_date"],
    "/tasks/quick-add": ["title", "goal", "due_date", "lock_goal", "next"],
    "/settings/profile": ["name", "username", "email"],
    "/settings/preferences": ["timezone", "week_start", "language", "theme"],
    "/reports/": ["format", "bom"],
}


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_form_posts_never_cause_a_server_error(web_client, objects, value):
    goal, task = objects["goal"], objects["task"]
    posts = dict(FORMS) | {
        f"/goals/{goal.pk}/progress": ["progress", "note"],
        f"/goals/{goal.pk}/edit": FORMS["/goals/new"],
        f"/tasks/{task.pk}/edit": FORMS["/tasks/new"],
        f"/tasks/{task.pk}/title": ["title"],
    }
    for url, fields in posts.items():
        response = web_client.post(url, dict.fromkeys(fields, value))
        assert response.status_code < 500, (url, value)
        response = web_client.post(url, dict.fromkeys(fields, value), HTTP_HX_REQUEST="true")
        assert response.status_code < 500, (url, value, "htmx")
