"""The dashboard and the task list answer from cached fragments (`{% cachedfragment %}` under the
user's version token): after every kind of write, and when the day, language or zone changes,
the next page shows it; CSRF tokens are never served from the cache."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts import services as account_services
from goals import services as goal_services
from goals.factories import GoalFactory
from goals.models import Measure
from plans import services as plan_services
from plans.factories import PlanFactory
from tasks import services
from tasks.factories import LabelFactory, SubtaskFactory, TaskFactory

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

NOW = datetime.datetime(2026, 3, 11, 12, 0, tzinfo=datetime.UTC)  # a Wednesday
TODAY = NOW.date()
TASKS = reverse("tasks:list")
DASHBOARD = reverse("dashboard")


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def task(user):
    goal = GoalFactory(user=user, title="Run a marathon", plan=PlanFactory(user=user, title="Fit"))
    label = LabelFactory(user=user, name="outdoors")
    task = TaskFactory(user=user, goal=goal, title="Buy shoes", due_date=TODAY)
    task.labels.add(label)
    SubtaskFactory(task=task, title="Measure feet", position=0)
    return task


def page(client, url=TASKS):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# Each write as (what it does, what the task list shows after it, what it no longer shows).
WRITES = {
    "create": (
        lambda task: services.create_task(user=task.user, title="Book a physio"),
        "Book a physio",
        None,
    ),
    "quick add": (
        lambda task: services.quick_add(user=task.user, text="Stretch tomorrow"),
        "Stretch",
        None,
    ),
    "rename": (
        lambda task: services.update_task(task=task, title="Buy running shoes"),
        "Buy running shoes",
        ">Buy shoes<",
    ),
    "priority": (
        lambda task: services.update_task(task=task, priority=1),
        "badge--p1",
        None,
    ),
    "reminder": (
        lambda task: services.update_task(
            task=task, due_time=datetime.time(9), reminders=[{"minutes_before": 0}]
        ),
        "Has a reminder",
        None,
    ),
    "complete": (lambda task: services.complete_task(task=task), "0 tasks", "Buy shoes"),
    "delete": (lambda task: services.delete_task(task=task), "0 tasks", "Buy shoes"),
    "import": (
        lambda task: services.create_tasks(user=task.user, tasks=[{"title": "Imported run"}]),
        "Imported run",
        None,
    ),
    "label renamed": (
        lambda task: services.update_label(label=task.labels.get(), name="trails"),
        "trails",
        "outdoors",
    ),
    "label deleted": (
        lambda task: services.delete_label(label=task.labels.get()),
        "Buy shoes",
        "outdoors",
    ),
    "checklist item added": (
        lambda task: services.add_subtask(task=task, title="Try them on"),
        "0/2",
        "0/1",
    ),
    "checklist item done": (
        lambda task: services.update_subtask(subtask=task.subtasks.get(), done=True),
        "1/1",
        "0/1",
    ),
    "checklist item deleted": (
        lambda task: services.delete_subtask(subtask=task.subtasks.get()),
        "Buy shoes",
        "0/1",
    ),
    "goal renamed": (
        lambda task: goal_services.update_goal(goal=task.goal, title="Run a half marathon"),
        "Run a half marathon",
        None,
    ),
    "plan renamed": (
        lambda task: plan_services.update_plan(plan=task.goal.plan, title="Fit at forty"),
        "Fit at forty",
        None,
    ),
}


@pytest.mark.parametrize("write", WRITES)
def test_the_task_list_shows_each_kind_of_write_at_once(web_client, task, write):
    do, shown, gone = WRITES[write]
    assert "Buy shoes" in page(web_client)  # fills the cache
    do(task)
    html = page(web_client)
    assert shown in html
    if gone:
        assert gone not in html


def test_the_task_list_partial_and_its_filters_follow_writes(web_client, task):
    filtered = f"{TASKS}?label={task.labels.get().pk}"
    assert "Buy shoes" in web_client.get(filtered, HTTP_HX_REQUEST="true").content.decode()
    services.update_task(task=task, labels=[])
    assert "Buy shoes" not in web_client.get(filtered, HTTP_HX_REQUEST="true").content.decode()


def test_page_posts_and_their_undo_show_on_the_next_page(web_client, task):
    row = f'id="task-{task.pk}"'
    assert row in page(web_client)
    web_client.post(reverse("tasks:delete", args=[task.pk]), {"next": TASKS})
    assert row not in page(web_client)
    web_client.post(reverse("tasks:undo"), {"next": TASKS})
    assert row in page(web_client)


def test_a_new_day_moves_todays_task_to_overdue(web_client, task, time_machine):
    assert "Due today" in page(web_client)
    time_machine.move_to(NOW + datetime.timedelta(days=1), tick=False)
    assert "Overdue · due" in page(web_client)


def test_the_language_and_time_zone_are_part_of_the_page(web_client, user, task, time_machine):
    assert "Due today" in page(web_client)
    account_services.update_settings(user_settings=user.settings, language="uk")
    assert "Сьогодні" in page(web_client, DASHBOARD)
    assert "Due today" not in page(web_client)
    # 23:30 in UTC is already tomorrow in Kyiv: today's task is overdue there.
    time_machine.move_to(NOW.replace(hour=23, minute=30), tick=False)
    account_services.update_settings(
        user_settings=user.settings, language="en", timezone="Europe/Kyiv"
    )
    assert "Overdue · due" in page(web_client)


DASHBOARD_WRITES = {
    "done": (lambda task: services.complete_task(task=task), "Nothing due today."),
    "new task for today": (
        lambda task: services.create_task(user=task.user, title="Book a physio", due_date=TODAY),
        "Book a physio",
    ),
    "check-in": (lambda task: goal_services.log_progress(goal=task.goal, value=40), "40%"),
    "name": (
        lambda task: account_services.update_account(user=task.user, name="Olena"),
        "Hello, Olena",
    ),
    "week start": (
        # The week began on Sunday the 8th instead of Monday the 9th.
        lambda task: account_services.update_settings(
            user_settings=task.user.settings, week_start=6
        ),
        "since Sun, Mar 8",
    ),
}


@pytest.mark.parametrize("write", DASHBOARD_WRITES)
def test_the_dashboard_shows_each_kind_of_write_at_once(web_client, task, write):
    task.goal.measure = Measure.MANUAL
    task.goal.save()
    do, shown = DASHBOARD_WRITES[write]
    assert "Buy shoes" in page(web_client, DASHBOARD)
    assert shown not in page(web_client, DASHBOARD)
    do(task)
    assert shown in page(web_client, DASHBOARD)


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.mark.parametrize("url", [TASKS, DASHBOARD])
def test_each_session_gets_its_own_csrf_token_from_a_cached_page(user, password, task, url):
    """Two browsers of one user: the second is answered from the cache of the first, yet with
    tokens of its own session, which its form posts pass the CSRF check with."""
    browsers = []
    for _ in range(2):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        browsers.append(browser)
    first, second = (page(browser, url) for browser in browsers)
    assert "<!--csrf-token-->" not in first + second
    first_tokens, second_tokens = set(TOKEN.findall(first)), set(TOKEN.findall(second))
    assert len(first_tokens) == len(second_tokens) == 1
    assert first_tokens != second_tokens
    response = browsers[1].post(
        reverse("tasks:toggle", args=[task.pk]),
        {"csrfmiddlewaretoken": second_tokens.pop(), "done": "true", "next": url},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.completed_at is not None
