"""First run: the guided path of an empty account, template plans, and figures only with data."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bakhmach.onboarding import TEMPLATES, start_from_template
from goals.factories import GoalFactory
from goals.models import Goal, Measure
from lib import user_version
from plans.factories import PlanFactory
from plans.models import Plan
from tasks.factories import TaskFactory
from tasks.models import Task

TODAY = datetime.date(2026, 12, 2)
FIGURES = ["Productivity score", "Streak", "Tasks this week", "Overdue tasks", "Average goal"]


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_a_template_creates_its_plan_goals_and_tasks(user, key):
    template = TEMPLATES[key]
    plan = start_from_template(user=user, key=key, today=TODAY)

    assert plan.user == user
    assert plan.title == str(template.title)
    assert plan.vision == str(template.vision)
    assert plan.start_date == TODAY
    goals = Goal.objects.filter(plan=plan).order_by("created_at")
    assert 2 <= len(goals) <= 3
    assert [goal.title for goal in goals] == [str(goal.title) for goal in template.goals]
    for goal, goal_template in zip(goals, template.goals, strict=True):
        assert goal.user == user
        assert goal.domain == template.domain
        assert TODAY < goal.target_date <= plan.end_date
        if goal_template.target is None:
            assert goal.measure == Measure.TASKS
        else:
            assert goal.measure == Measure.METRIC
            assert goal.target_value == goal_template.target
            assert goal.start_value == 0
        tasks = goal.tasks.order_by("due_date")
        assert [task.title for task in tasks] == [str(title) for title in goal_template.tasks]
        assert tasks[0].due_date == TODAY  # something to do today
    assert Task.objects.filter(user=user).count() == sum(len(g.tasks) for g in template.goals)


def test_a_template_is_written_in_one_transaction_with_a_bounded_number_of_queries(user):
    with CaptureQueriesContext(connection) as queries:
        start_from_template(user=user, key="career", today=TODAY)
    statements = [query["sql"] for query in queries]
    # The test runs inside a transaction, so the service's atomic block is one savepoint that
    # opens first and is released last: every write of plan, goals and tasks is inside it.
    outer = re.match(r'SAVEPOINT "(\w+)"', statements[0])
    assert outer, statements[0]
    assert statements[-1] == f'RELEASE SAVEPOINT "{outer.group(1)}"'
    # 1 plan, 3 goals and 9 tasks, written by the apps' own services: each validates its row
    # (constraint checks, the goal it names) and a task of a goal measured by its tasks moves
    # that goal; each create counts the user's objects of its kind first (lib.limits). Apart
    # from the services' nested savepoints, at most 11 statements an object.
    work = [sql for sql in statements if "SAVEPOINT" not in sql]
    objects = 1 + 3 + 9
    assert len(work) <= 11 * objects, len(work)


def test_a_template_costs_the_same_however_much_the_account_holds(user, other_user):
    with CaptureQueriesContext(connection) as empty:
        start_from_template(user=user, key="health", today=TODAY)
    TaskFactory.create_batch(20, user=other_user)
    GoalFactory.create_batch(10, user=other_user)
    with CaptureQueriesContext(connection) as busy:
        start_from_template(user=other_user, key="health", today=TODAY)
    assert len(busy) == len(empty)


def test_starting_the_same_template_twice_gives_the_first_plan(user):
    first = start_from_template(user=user, key="learning", today=TODAY)
    again = start_from_template(user=user, key="learning", today=TODAY)
    assert again == first
    assert Plan.objects.filter(user=user).count() == 1


def test_unknown_template_writes_nothing(user):
    with pytest.raises(KeyError):
        start_from_template(user=user, key="astronaut", today=TODAY)
    assert not Plan.objects.filter(user=user).exists()


def test_empty_dashboard_guides_and_hides_figures(web_client):
    html = web_client.get(reverse("dashboard")).content.decode()
    assert "Get started in three steps" in html
    assert "Write your vision" in html
    assert "Set your first goal" in html
    assert "Add your first three tasks" in html
    for key in TEMPLATES:
        assert f'name="template" value="{key}"' in html
    # No cards of zeros and dashes.
    assert "Where you stand" not in html
    for figure in FIGURES:
        assert figure not in html


def test_figures_appear_with_their_data(web_client, user):
    TaskFactory(user=user)
    html = web_client.get(reverse("dashboard")).content.decode()
    assert "Where you stand" in html
    assert "Tasks this week" in html
    assert "Streak" not in html  # nothing ever completed
    assert "Average goal" not in html  # no goals


def test_the_path_marks_steps_done_and_goes_once_walked(web_client, user):
    plan = PlanFactory(user=user)
    html = web_client.get(reverse("dashboard")).content.decode()
    assert "Get started in three steps" in html
    assert html.count("onboarding__step is-done") == 1
    assert 'name="template"' not in html  # templates are for an account without a plan
    GoalFactory(user=user, plan=plan)
    TaskFactory.create_batch(3, user=user)
    user_version.invalidate_user(user.pk)  # factories skip the services that do it
    html = web_client.get(reverse("dashboard")).content.decode()
    assert "Get started in three steps" not in html


def test_start_from_a_template_on_the_dashboard(web_client, user):
    response = web_client.post(reverse("start_from_template"), {"template": "finances"})
    plan = Plan.objects.get(user=user)
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    page = web_client.get(response.url).content.decode()
    assert str(TEMPLATES["finances"].title) in page
    assert Goal.objects.filter(plan=plan).count() == 2


@pytest.mark.parametrize("value", ["", "astronaut", "../career"])
def test_start_from_an_unknown_template_is_refused(web_client, user, value):
    response = web_client.post(reverse("start_from_template"), {"template": value})
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert not Plan.objects.filter(user=user).exists()


def test_start_from_a_template_needs_login_and_a_post(client, web_client):
    assert client.post(reverse("start_from_template")).status_code == 302
    assert web_client.get(reverse("start_from_template")).status_code == 405
