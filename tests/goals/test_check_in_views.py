"""The goal page's measures on the web: metric goals, key results, check-ins edited and
deleted, completion confirmed and undone, the date rule."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from goals import services
from goals.models import Goal, Status
from plans.factories import PlanFactory
from tests.web import HTMX, is_fragment

pytestmark = pytest.mark.django_db


def metric_goal(user):
    return services.create_goal(
        user=user,
        title="Run 100 km",
        measure="metric",
        unit="km",
        start_value=Decimal(0),
        target_value=Decimal(100),
    )


def test_create_a_metric_goal_with_the_form(web_client, user):
    response = web_client.post(
        reverse("goals:create"),
        {
            "title": "Lose weight",
            "domain": "health",
            "status": "active",
            "measure": "metric",
            "unit": "kg",
            "direction": "down",
            "start_value": "92",
            "target_value": "82",
            "current_value": "90",
        },
    )

    goal = Goal.objects.get(user=user)
    assert response.url == goal.get_absolute_url()
    assert (goal.measure, goal.direction, goal.progress) == ("metric", "down", 20)
    page = web_client.get(goal.get_absolute_url()).content.decode()
    assert "90 kg on the way from 92 kg to 82 kg." in page
    assert "Current value (kg)" in page


def test_a_metric_in_the_wrong_direction_is_a_form_error(web_client, user):
    response = web_client.post(
        reverse("goals:create"),
        {"title": "Save", "domain": "finance", "status": "active", "measure": "metric"}
        | {"start_value": "100", "target_value": "50", "direction": "up"},
    )

    assert response.status_code == 422
    assert "Going up, the target must be above the start value." in response.content.decode()
    assert not Goal.objects.exists()


def test_checking_in_a_metric_value_moves_bar_and_chart(web_client, user):
    goal = metric_goal(user)
    url = reverse("goals:log_progress", args=[goal.pk])

    web_client.post(url, {"value": "20", "status": "", "note": "First run"}, **HTMX)
    response = web_client.post(url, {"value": "35", "note": "Long run"}, **HTMX)

    html = response.content.decode()
    assert is_fragment(response)
    assert '<progress class="" max="100" value="35"' in html
    assert "35 km" in html
    assert "<svg" in html  # the chart, drawn from both check-ins


def test_editing_a_check_in_moves_the_goal_and_deleting_one_falls_back(web_client, user):
    goal = metric_goal(user)
    first = services.check_in(goal=goal, value=Decimal(20))
    second = services.check_in(goal=Goal.objects.get(pk=goal.pk), value=Decimal(35))
    edit = reverse("goals:check_in_edit", args=[goal.pk, second.pk])

    assert web_client.get(edit).status_code == 200
    response = web_client.post(edit, {"value": "50", "note": "Counted again"})

    assert response.url == goal.get_absolute_url()
    goal.refresh_from_db()
    assert (goal.progress, goal.current_value) == (50, Decimal(50))
    web_client.post(reverse("goals:check_in_delete", args=[goal.pk, second.pk]))
    goal.refresh_from_db()
    assert goal.progress == 20
    assert list(goal.progress_entries.values_list("pk", flat=True)) == [first.pk]


def test_an_edit_reaching_100_asks_first(web_client, user):
    goal = metric_goal(user)
    entry = services.check_in(goal=goal, value=Decimal(60))
    edit = reverse("goals:check_in_edit", args=[goal.pk, entry.pk])

    asked = web_client.post(edit, {"value": "100"})

    assert asked.status_code == 200
    assert "Complete it?" in asked.content.decode()
    assert Goal.objects.get(pk=goal.pk).progress == 60
    web_client.post(edit, {"value": "100", "confirm": "on"})
    assert Goal.objects.get(pk=goal.pk).status == Status.COMPLETED


def test_reopen_undoes_a_completion(web_client, user):
    goal = Goal.objects.create(user=user, title="Read")
    services.log_progress(goal=goal, value=40)
    services.log_progress(goal=Goal.objects.get(pk=goal.pk), value=100)

    response = web_client.post(reverse("goals:reopen", args=[goal.pk]))

    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.progress) == (Status.ACTIVE, 40)


def test_key_results_on_the_goal_page(web_client, user):
    goal = services.create_goal(user=user, title="Ship", measure="key_results")
    page = web_client.get(goal.get_absolute_url()).content.decode()
    assert "Add a key result" in page

    web_client.post(
        reverse("goals:key_result_create", args=[goal.pk]),
        {"title": "Chapters", "unit": "chapters", "direction": "up"}
        | {"start_value": "0", "target_value": "10", "weight": "2"},
    )
    result = goal.key_results.get()
    web_client.post(
        reverse("goals:log_progress", args=[goal.pk]), {"key_result": result.pk, "value": "5"}
    )

    goal.refresh_from_db()
    assert goal.progress == 50
    page = web_client.get(goal.get_absolute_url()).content.decode()
    assert "5 chapters of 10 chapters" in page
    web_client.post(reverse("goals:key_result_delete", args=[goal.pk, result.pk]))
    goal.refresh_from_db()
    assert goal.progress == 0


def test_someone_elses_check_in_or_key_result_is_404(web_client, other_user):
    goal = metric_goal(other_user)
    entry = services.check_in(goal=goal, value=Decimal(10))

    for url in (
        reverse("goals:check_in_edit", args=[goal.pk, entry.pk]),
        reverse("goals:check_in_delete", args=[goal.pk, entry.pk]),
        reverse("goals:reopen", args=[goal.pk]),
    ):
        assert web_client.post(url, {"value": "90"}).status_code == 404
    assert Goal.objects.get(pk=goal.pk).progress == 10


def test_a_target_outside_the_plan_is_a_field_error_or_an_explicit_warning(web_client, user):
    plan = PlanFactory(
        user=user, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 6, 30)
    )
    fields = {"title": "Late", "plan": plan.pk, "domain": "career", "status": "active"}
    fields["target_date"] = "2026-08-01"

    refused = web_client.post(reverse("goals:create"), fields)

    assert refused.status_code == 422
    assert "The target date is after the plan ends" in refused.content.decode()
    kept = web_client.post(reverse("goals:create"), fields | {"target_outside_plan": "on"})
    assert kept.status_code == 302
    plan_page = web_client.get(plan.get_absolute_url()).content.decode()
    assert "Kept there on purpose." in plan_page
