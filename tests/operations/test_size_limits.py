"""Size limits (issue 17, #5): long texts and JSON data are validated where the models define
them, objects per user are capped by the create services, and bodies over the limits are
refused before they are read. The API answers a JSON 400/413, the pages a form error."""

import json

import pytest
from django.urls import reverse

from goals.factories import GoalFactory
from goals.models import Goal
from plans.factories import PlanFactory
from plans.models import Plan
from tasks.factories import LabelFactory, TaskFactory
from tasks.models import Label, Task

pytestmark = pytest.mark.django_db


class Unreadable:
    """A request body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_forty_plans_of_4_7_mb_data_are_refused_and_the_list_stays_small(api_client):
    body = json.dumps({"title": "Big", "data": {"blob": "x" * int(4.7 * 1024 * 1024)}})
    assert len(body) > 4.7 * 1024 * 1024

    answers = [
        api_client.post("/api/pdps", data=body, content_type="application/json") for _ in range(40)
    ]

    assert {answer.status_code for answer in answers} == {413}
    assert answers[0].json() == {"detail": "The request body is too large."}
    assert not Plan.objects.exists()
    assert len(api_client.get("/api/pdps").content) < 1024


def test_a_json_body_over_the_limit_is_refused_before_it_is_read(api_client, settings):
    response = api_client.generic(
        "POST",
        "/api/pdps",
        data=b"",
        content_type="application/json",
        CONTENT_LENGTH=str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        **{"wsgi.input": Unreadable()},
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["/api/pdps", "/api/goals"])
def test_data_over_max_json_bytes_is_a_400_field_error(api_client, settings, path):
    data = {"notes": "é" * (settings.MAX_JSON_BYTES // 2)}  # two bytes a character in UTF-8

    response = api_client.post(path, {"title": "Plan", "data": data}, format="json")

    assert response.status_code == 400
    assert response.json()["data"] == ["This data is 64.0\xa0KB; the limit is 64.0\xa0KB."]


def test_data_within_max_json_bytes_is_kept(api_client, settings):
    data = {"notes": "x" * (settings.MAX_JSON_BYTES - 20)}

    response = api_client.post("/api/pdps", {"title": "Plan", "data": data}, format="json")

    assert response.status_code == 201
    assert Plan.objects.get().data == data


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/pdps", "description"),
        ("/api/pdps", "vision"),
        ("/api/goals", "description"),
        ("/api/tasks", "description"),
    ],
)
def test_a_text_over_max_text_length_is_a_400_field_error(api_client, settings, path, field):
    settings.MAX_TEXT_LENGTH = 100

    too_long = api_client.post(path, {"title": "T", field: "x" * 101}, format="json")
    at_limit = api_client.post(path, {"title": "T", field: "x" * 100}, format="json")

    assert too_long.status_code == 400
    assert too_long.json()[field] == ["Keep this under 100 characters (it has 101)."]
    assert at_limit.status_code == 201


def test_a_text_over_the_limit_is_a_form_error_that_keeps_what_was_typed(web_client, settings):
    settings.MAX_TEXT_LENGTH = 100
    response = web_client.post(
        reverse("tasks:create"), {"title": "Typed title", "description": "x" * 101, "priority": 3}
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "Keep this under 100 characters (it has 101)." in html
    assert 'value="Typed title"' in html
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    ("setting", "factory", "model", "path", "body", "message"),
    [
        (
            "MAX_PLANS_PER_USER",
            PlanFactory,
            Plan,
            "/api/pdps",
            {"title": "One more"},
            "You have 3 plans, as many as an account can hold; delete one to add another.",
        ),
        (
            "MAX_GOALS_PER_USER",
            GoalFactory,
            Goal,
            "/api/goals",
            {"title": "One more"},
            "You have 3 goals, as many as an account can hold; delete one to add another.",
        ),
        (
            "MAX_TASKS_PER_USER",
            TaskFactory,
            Task,
            "/api/tasks",
            {"title": "One more"},
            "An account can hold 3 tasks; delete some to add more.",
        ),
        (
            "MAX_LABELS_PER_USER",
            LabelFactory,
            Label,
            "/api/labels",
            {"name": "one-more"},
            "You have 3 labels, as many as an account can hold; delete one to add another.",
        ),
    ],
)
def test_objects_per_user_are_capped_on_the_api(
    api_client, user, other_user, settings, setting, factory, model, path, body, message
):
    setattr(settings, setting, 3)
    factory.create_batch(2, user=user)
    factory.create_batch(3, user=other_user)  # another user's objects do not count

    third = api_client.post(path, body, format="json")
    fourth = api_client.post(
        path, {key: f"{value} 2" for key, value in body.items()}, format="json"
    )

    assert third.status_code == 201
    assert fourth.status_code == 400
    assert fourth.json() == {"detail": message}
    assert model.objects.filter(user=user).count() == 3


@pytest.mark.parametrize(
    ("setting", "factory", "url", "body", "message"),
    [
        ("MAX_PLANS_PER_USER", PlanFactory, "plans:create", {"title": "More"}, "3 plans"),
        (
            "MAX_GOALS_PER_USER",
            GoalFactory,
            "goals:create",
            {"title": "More", "domain": "personal", "status": "active", "measure": "manual"}
            | {"progress": 0, "direction": "up"},
            "3 goals",
        ),
        (
            "MAX_TASKS_PER_USER",
            TaskFactory,
            "tasks:create",
            {"title": "More", "priority": 3},
            "3 tasks",
        ),
        ("MAX_TASKS_PER_USER", TaskFactory, "tasks:quick_add", {"title": "More"}, "3 tasks"),
        (
            "MAX_LABELS_PER_USER",
            LabelFactory,
            "tasks:labels",
            {"name": "more", "color": "#2563eb"},
            "3 labels",
        ),
    ],
)
def test_objects_per_user_are_capped_on_the_pages(
    web_client, user, settings, setting, factory, url, body, message
):
    setattr(settings, setting, 3)
    factory.create_batch(3, user=user)

    response = web_client.post(reverse(url), body)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert factory._meta.model.objects.filter(user=user).count() == 3


def test_quick_add_naming_a_new_label_past_the_cap_adds_nothing(web_client, user, settings):
    settings.MAX_LABELS_PER_USER = 1
    LabelFactory(user=user, name="home")

    response = web_client.post(reverse("tasks:quick_add"), {"title": "Call mom #family"})

    assert response.status_code == 422
    assert "1 label" in response.content.decode()
    assert not Task.objects.exists()
