import pytest
from django.urls import reverse

from goals.factories import GoalFactory
from goals.models import Goal
from plans.factories import PlanFactory
from plans.models import Plan
from tests.web import NOT_FOUND_TEXT, request_overhead

pytestmark = pytest.mark.django_db


def test_plan_list_and_its_empty_state(web_client, user, other_user):
    assert "No plans yet." in web_client.get(reverse("plans:list")).content.decode()
    plan = PlanFactory(user=user, title="Grow as a writer")
    GoalFactory(user=user, plan=plan, progress=40)
    GoalFactory(user=user, plan=plan, progress=60)
    PlanFactory(user=other_user, title="Not mine")
    html = web_client.get(reverse("plans:list")).content.decode()
    assert "Grow as a writer" in html
    assert "Not mine" not in html
    assert 'value="50"' in html  # the mean of its goals' progress
    assert "2 goals" in html


@pytest.mark.parametrize("rows", [2, 30])
def test_plan_list_costs_the_same_queries_for_any_number_of_rows(
    web_client, user, rows, django_assert_num_queries
):
    for plan in PlanFactory.create_batch(rows, user=user):
        GoalFactory(user=user, plan=plan)
    overhead = request_overhead(web_client)
    with django_assert_num_queries(overhead + 1):  # the plans with goal count and progress
        web_client.get(reverse("plans:list"))


def test_plan_detail_shows_its_goals_and_their_progress(web_client, user):
    plan = PlanFactory(user=user, vision="See the world")
    GoalFactory(user=user, plan=plan, title="Learn Spanish", progress=25)
    GoalFactory(user=user, title="Elsewhere")
    response = web_client.get(reverse("plans:detail", args=[plan.pk]))
    html = response.content.decode()
    assert "Learn Spanish" in html
    assert "Elsewhere" not in html
    assert 'value="25"' in html
    assert "See the world" in html


def test_plan_detail_without_goals_invites_to_create_one(web_client, user):
    plan = PlanFactory(user=user)
    html = web_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "No goals yet — create one." in html
    assert f"{reverse('goals:create')}?plan={plan.pk}" in html


@pytest.mark.parametrize("rows", [1, 20])
def test_plan_detail_costs_the_same_queries_for_any_number_of_goals(
    web_client, user, rows, django_assert_num_queries
):
    plan = PlanFactory(user=user)
    GoalFactory.create_batch(rows, user=user, plan=plan)
    overhead = request_overhead(web_client)
    # 1. the plan with its progress and last review, 2. its goals, 3. its recent reviews,
    # 4-6. the balance wheel: progress, tasks done and check-ins per domain
    with django_assert_num_queries(overhead + 6):
        web_client.get(reverse("plans:detail", args=[plan.pk]))


def test_create_plan(web_client, user):
    assert web_client.get(reverse("plans:create")).status_code == 200
    response = web_client.post(
        reverse("plans:create"),
        {"title": "2027", "start_date": "2027-01-01", "end_date": "2027-12-31"},
    )
    plan = Plan.objects.get(user=user)
    assert response.url == plan.get_absolute_url()
    assert plan.title == "2027"


def test_create_plan_errors_sit_next_to_their_fields_and_keep_the_input(web_client, user):
    response = web_client.post(
        reverse("plans:create"),
        {
            "title": "",
            "vision": "My typed vision",
            "start_date": "2027-06-01",
            "end_date": "2027-01-01",
        },
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"title", "end_date"}
    html = response.content.decode()
    assert "The end date may not precede the start date." in html
    assert "My typed vision" in html
    assert 'aria-invalid="true"' in html
    assert not Plan.objects.exists()


def test_edit_plan(web_client, user):
    plan = PlanFactory(user=user, title="Old")
    url = reverse("plans:edit", args=[plan.pk])
    assert 'value="Old"' in web_client.get(url).content.decode()
    response = web_client.post(url, {"title": "New"})
    assert response.url == plan.get_absolute_url()
    plan.refresh_from_db()
    assert plan.title == "New"


@pytest.mark.parametrize(("cascade", "goals_left"), [(False, 1), (True, 0)])
def test_delete_plan(web_client, user, cascade, goals_left):
    plan = PlanFactory(user=user)
    GoalFactory(user=user, plan=plan)
    url = reverse("plans:delete", args=[plan.pk])
    assert "Also delete its goals" in web_client.get(url).content.decode()
    response = web_client.post(url, {"cascade": "on"} if cascade else {})
    assert response.url == reverse("plans:list")
    assert not Plan.objects.exists()
    assert Goal.objects.count() == goals_left


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("plans:detail", "get"),
        ("plans:edit", "get"),
        ("plans:edit", "post"),
        ("plans:delete", "get"),
        ("plans:delete", "post"),
    ],
)
def test_another_users_plan_is_a_404_page(web_client, other_user, name, method):
    plan = PlanFactory(user=other_user, title="Not yours")
    response = getattr(web_client, method)(reverse(name, args=[plan.pk]), {"title": "Mine now"})
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in response.content.decode()
    plan.refresh_from_db()
    assert plan.title == "Not yours"


def test_a_malformed_id_is_a_404_too(web_client):
    assert web_client.get("/plans/not-a-uuid/").status_code == 404
