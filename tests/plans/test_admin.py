import pytest

from accounts.factories import UserFactory
from goals.factories import GoalFactory, ProgressEntryFactory
from goals.models import Goal
from plans.factories import PlanFactory
from plans.models import Plan
from tasks.factories import TaskFactory
from tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def sample(user):
    plan = PlanFactory(user=user, title="Admin plan")
    goal = GoalFactory(user=user, plan=plan, title="Admin goal")
    ProgressEntryFactory(goal=goal, value=30, note="first step")
    task = TaskFactory(user=user, goal=goal, title="Admin task")
    return plan, goal, task


@pytest.mark.parametrize(
    "url",
    [
        "/admin/plans/plan/",
        "/admin/plans/plan/?q=admin",
        "/admin/goals/goal/?status__exact=active&q=owner",
        "/admin/tasks/task/?completed=no&priority__exact=3",
        "/admin/tasks/task/?q=admin",
    ],
)
def test_changelists_filter_and_search(admin_client, sample, url):
    response = admin_client.get(url)

    assert response.status_code == 200
    assert b"Admin" in response.content


def test_the_goal_page_shows_its_progress_log(admin_client, sample):
    _, goal, _ = sample

    response = admin_client.get(f"/admin/goals/goal/{goal.pk}/change/")

    assert response.status_code == 200
    assert b"first step" in response.content


def test_saving_a_goal_in_the_admin_goes_through_the_service(admin_client, sample):
    plan, goal, _ = sample

    response = admin_client.post(
        f"/admin/goals/goal/{goal.pk}/change/",
        {
            "plan": plan.pk,
            "title": "Renamed",
            "description": "",
            "domain": "career",
            "status": "active",
            "progress": 100,
            "data": "{}",
            "progress_entries-TOTAL_FORMS": 1,
            "progress_entries-INITIAL_FORMS": 1,
            "progress_entries-MIN_NUM_FORMS": 0,
            "progress_entries-MAX_NUM_FORMS": 1000,
            "progress_entries-0-id": goal.progress_entries.get().pk,
            "progress_entries-0-goal": goal.pk,
        },
    )

    assert response.status_code == 302, response.content
    goal.refresh_from_db()
    assert (goal.title, goal.status) == ("Renamed", "completed")
    assert goal.progress_entries.filter(value=100).exists()


def test_a_goal_cannot_be_put_in_another_users_plan(admin_client, user, other_user):
    foreign_plan = PlanFactory(user=other_user)

    response = admin_client.post(
        "/admin/goals/goal/add/",
        {
            "user": user.pk,
            "plan": foreign_plan.pk,
            "title": "Sneaky",
            "domain": "career",
            "status": "active",
            "progress": 0,
            "data": "{}",
            "progress_entries-TOTAL_FORMS": 0,
            "progress_entries-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200  # the form again, with the error
    assert b"Choose one of your own plans" in response.content
    assert not Goal.objects.exists()


def test_admin_actions_complete_and_reopen_tasks(admin_client, sample):
    _, _, task = sample

    admin_client.post("/admin/tasks/task/", {"action": "complete", "_selected_action": [task.pk]})
    task.refresh_from_db()
    assert task.completed_at is not None

    admin_client.post("/admin/tasks/task/", {"action": "reopen", "_selected_action": [task.pk]})
    task.refresh_from_db()
    assert task.completed_at is None


def test_deleting_a_plan_in_the_admin_keeps_its_goals(admin_client, sample):
    plan, goal, _ = sample

    response = admin_client.post(f"/admin/plans/plan/{plan.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Plan.objects.exists()
    goal.refresh_from_db()
    assert goal.plan is None
    assert Task.objects.count() == 1


def test_autocomplete_lists_plans(admin_client, sample):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "goals", "model_name": "goal", "field_name": "plan", "term": "Admin"},
    )

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == ["Admin plan"]


def test_adding_a_task_in_the_admin_goes_through_the_service(admin_client, user):
    response = admin_client.post(
        "/admin/tasks/task/add/",
        {"user": user.pk, "title": "From the admin", "description": "", "priority": 2},
    )

    assert response.status_code == 302, response.content
    task = Task.objects.get()
    assert (task.user, task.title, task.priority) == (user, "From the admin", 2)


def test_deleting_tasks_in_bulk_in_the_admin(admin_client, sample):
    _, _, task = sample

    response = admin_client.post(
        "/admin/tasks/task/",
        {"action": "delete_selected", "_selected_action": [task.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Task.objects.exists()


@pytest.mark.parametrize("model", ["plans/plan", "goals/goal", "tasks/task"])
def test_the_owner_can_be_chosen_when_adding_but_not_changed(admin_client, sample, model):
    obj = {"plans/plan": sample[0], "goals/goal": sample[1], "tasks/task": sample[2]}[model]

    add_page = admin_client.get(f"/admin/{model}/add/")
    change_page = admin_client.get(f"/admin/{model}/{obj.pk}/change/")

    assert b'name="user"' in add_page.content
    assert b'name="user"' not in change_page.content
    assert b"owner@example.com" in change_page.content


def test_admin_actions_skip_tasks_already_in_that_state_and_say_how_many_changed(
    admin_client, user
):
    done, open_task = TaskFactory(user=user), TaskFactory(user=user)
    admin_client.post("/admin/tasks/task/", {"action": "complete", "_selected_action": [done.pk]})

    response = admin_client.post(
        "/admin/tasks/task/",
        {"action": "complete", "_selected_action": [done.pk, open_task.pk]},
        follow=True,
    )

    assert "1 task completed." in [str(message) for message in response.context["messages"]]
    assert Task.objects.completed().count() == 2
