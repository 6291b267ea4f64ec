import pytest
from django.urls import reverse

from goals.factories import GoalFactory, ProgressEntryFactory
from goals.models import Goal, ProgressEntry, Status
from plans.factories import PlanFactory
from tasks.factories import TaskFactory
from tasks.models import Task
from tests.web import HTMX, NOT_FOUND_TEXT, is_fragment, request_overhead

pytestmark = pytest.mark.django_db


def test_goal_list_and_its_empty_state(web_client, user, other_user):
    response = web_client.get(reverse("goals:list"))
    assert "No goals yet." in response.content.decode()
    GoalFactory(user=user, title="Mine", progress=30)
    GoalFactory(user=other_user, title="Theirs")
    html = web_client.get(reverse("goals:list")).content.decode()
    assert "Mine" in html
    assert "Theirs" not in html
    assert '<progress class="" max="100" value="30"' in html


@pytest.mark.parametrize("rows", [2, 30])
def test_goal_list_costs_the_same_queries_for_any_number_of_rows(
    web_client, user, rows, django_assert_num_queries
):
    GoalFactory.create_batch(rows, user=user, plan=PlanFactory(user=user))
    overhead = request_overhead(web_client)
    with django_assert_num_queries(overhead + 1):  # the goals with their plans
        web_client.get(reverse("goals:list"))


def test_goal_detail_shows_tasks_progress_log_and_chart(web_client, user):
    goal = GoalFactory(user=user, title="Run a marathon", progress=20)
    TaskFactory(user=user, goal=goal, title="Buy shoes")
    ProgressEntryFactory(goal=goal, value=20, note="First long run")
    response = web_client.get(reverse("goals:detail", args=[goal.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Buy shoes" in html
    assert "First long run" in html
    assert "<svg" in html
    assert 'role="img"' in html
    assert f'<input type="hidden" name="goal" value="{goal.pk}">' in html  # quick add to this goal


def test_goal_detail_without_progress_has_a_friendly_empty_log(web_client, user):
    goal = GoalFactory(user=user)
    html = web_client.get(reverse("goals:detail", args=[goal.pk])).content.decode()
    assert "No progress logged yet" in html
    assert "No tasks yet" in html


@pytest.mark.parametrize("rows", [1, 25])
def test_goal_detail_costs_the_same_queries_for_any_number_of_rows(
    web_client, user, rows, django_assert_num_queries
):
    goal = GoalFactory(user=user, plan=PlanFactory(user=user))
    TaskFactory.create_batch(rows, user=user, goal=goal)
    ProgressEntryFactory.create_batch(rows, goal=goal)
    overhead = request_overhead(web_client)
    # the goal with its plan; its progress log; its tasks (the quick add's goal is this one),
    # their labels and their reminders.
    with django_assert_num_queries(overhead + 5):
        web_client.get(reverse("goals:detail", args=[goal.pk]))


def test_log_progress_with_htmx_returns_the_progress_panel(web_client, user):
    goal = GoalFactory(user=user)
    response = web_client.post(
        reverse("goals:log_progress", args=[goal.pk]), {"value": 45, "note": "Halfway"}, **HTMX
    )
    assert response.status_code == 200
    assert is_fragment(response)
    html = response.content.decode()
    assert html.strip().startswith('<section id="goal-progress"')
    assert 'value="45"' in html
    assert "Halfway" in html
    goal.refresh_from_db()
    assert goal.progress == 45
    assert goal.progress_entries.get().note == "Halfway"


def test_log_progress_with_htmx_updates_the_header_status_out_of_band(web_client, user):
    goal = GoalFactory(user=user)
    url = reverse("goals:log_progress", args=[goal.pk])
    html = web_client.post(url, {"value": 100, "confirm": "on"}, **HTMX).content.decode()
    status = html[html.index('<p class="cluster" id="goal-status" hx-swap-oob="true">') :]
    assert '<span class="badge badge--success">Completed</span>' in status
    assert "Completed <time datetime=" in status

    html = web_client.post(url, {"value": 90}, **HTMX).content.decode()  # reopened
    status = html[html.index('<p class="cluster" id="goal-status" hx-swap-oob="true">') :]
    assert '<span class="badge">Active</span>' in status
    assert "<time" not in status
    # The full page's status line is the same partial, swapped in place there.
    page = web_client.get(goal.get_absolute_url()).content.decode()
    assert '<p class="cluster" id="goal-status">' in page


def test_log_progress_of_100_asks_first_then_completes_the_goal(web_client, user):
    goal = GoalFactory(user=user)
    url = reverse("goals:log_progress", args=[goal.pk])

    asked = web_client.post(url, {"value": 100, "note": "Done!"}, **HTMX)

    assert asked.status_code == 200
    html = asked.content.decode()
    assert "completes it. Complete it?" in html
    assert 'name="confirm" value="on"' in html
    assert "Done!" in html  # nothing typed is lost
    goal.refresh_from_db()
    assert (goal.status, goal.progress_entries.count()) == (Status.ACTIVE, 0)

    web_client.post(url, {"value": 100, "note": "Done!", "confirm": "on"})
    goal.refresh_from_db()
    assert goal.status == Status.COMPLETED


def test_log_progress_out_of_range_is_a_field_error(web_client, user):
    goal = GoalFactory(user=user, progress=10)
    url = reverse("goals:log_progress", args=[goal.pk])
    response = web_client.post(url, {"value": 150, "note": "Keep this note"}, **HTMX)
    assert response.status_code == 422
    assert is_fragment(response)
    html = response.content.decode()
    assert "less than or equal to 100" in html
    assert "Keep this note" in html

    response = web_client.post(url, {"value": "lots", "note": "Keep this note"})
    assert response.status_code == 422
    assert not is_fragment(response)
    assert "Enter a whole number." in response.content.decode()
    goal.refresh_from_db()
    assert goal.progress == 10
    assert not ProgressEntry.objects.exists()


def test_log_progress_without_javascript_redirects_to_the_goal(web_client, user):
    goal = GoalFactory(user=user)
    response = web_client.post(reverse("goals:log_progress", args=[goal.pk]), {"value": 30})
    assert response.status_code == 302
    assert response.url == goal.get_absolute_url()


def test_create_goal_in_a_plan(web_client, user):
    plan = PlanFactory(user=user)
    response = web_client.get(reverse("goals:create") + f"?plan={plan.pk}")
    assert f'<option value="{plan.pk}" selected>' in response.content.decode()
    response = web_client.post(
        reverse("goals:create"),
        {"title": "Learn Rust", "plan": plan.pk, "domain": "learning", "status": "active"},
    )
    goal = Goal.objects.get(user=user)
    assert response.url == goal.get_absolute_url()
    assert (goal.title, goal.plan, goal.domain) == ("Learn Rust", plan, "learning")


def test_create_goal_errors_keep_what_was_typed(web_client, user, other_user):
    theirs = PlanFactory(user=other_user)
    response = web_client.post(
        reverse("goals:create"),
        {
            "title": "",
            "description": "Typed words",
            "plan": theirs.pk,
            "domain": "nope",
            "status": "active",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html
    assert "Select a valid choice" in html
    assert "Typed words" in html
    assert not Goal.objects.exists()


def test_create_goal_for_another_users_plan_is_a_404(web_client, other_user):
    theirs = PlanFactory(user=other_user)
    assert web_client.get(reverse("goals:create") + f"?plan={theirs.pk}").status_code == 404


def test_edit_goal(web_client, user):
    goal = GoalFactory(user=user, title="Old")
    url = reverse("goals:edit", args=[goal.pk])
    assert web_client.get(url).status_code == 200
    response = web_client.post(url, {"title": "New", "domain": "health", "status": "completed"})
    assert response.status_code == 302, response.context["form"].errors
    goal.refresh_from_db()
    assert (goal.title, goal.status, goal.progress) == ("New", "completed", 100)


def test_delete_goal_keeps_its_tasks(web_client, user):
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan)
    task = TaskFactory(user=user, goal=goal)
    url = reverse("goals:delete", args=[goal.pk])
    assert "Delete this goal?" in web_client.get(url).content.decode()
    response = web_client.post(url)
    assert response.url == plan.get_absolute_url()
    assert not Goal.objects.exists()
    task.refresh_from_db()
    assert task.goal is None
    assert Task.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("goals:detail", "get"),
        ("goals:edit", "get"),
        ("goals:edit", "post"),
        ("goals:delete", "get"),
        ("goals:delete", "post"),
        ("goals:log_progress", "post"),
    ],
)
def test_another_users_goal_is_a_404_page(web_client, other_user, name, method):
    goal = GoalFactory(user=other_user, title="Not yours")
    response = getattr(web_client, method)(reverse(name, args=[goal.pk]), {"value": 50})
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in response.content.decode()
    goal.refresh_from_db()
    assert (goal.title, goal.progress) == ("Not yours", 0)
