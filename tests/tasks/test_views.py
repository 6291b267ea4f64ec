import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.factories import GoalFactory
from plans.factories import PlanFactory
from tasks.factories import TaskFactory
from tasks.models import Task
from tests.web import HTMX, NOT_FOUND_TEXT, is_fragment, request_overhead

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC))
    return TODAY


def list_url(**query):
    from urllib.parse import urlencode

    return reverse("tasks:list") + (f"?{urlencode(query)}" if query else "")


def titles(response):
    return [task.title for task in response.context["tasks"]]


# --- The list and its filters -------------------------------------------------------------


def test_list_needs_login(client):
    response = client.get(list_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_list_is_a_full_page_with_filters_quick_add_and_rows(web_client, user):
    TaskFactory(user=user, title="Write tests")
    response = web_client.get(list_url())
    assert response.status_code == 200
    assert not is_fragment(response)
    html = response.content.decode()
    assert 'id="quick-add"' in html
    assert 'role="search"' in html
    assert "Write tests" in html
    assert response["Vary"].count("HX-Request") == 1


def test_htmx_filtering_gets_only_the_results(web_client, user):
    TaskFactory(user=user, title="Write tests")
    response = web_client.get(list_url(search="write"), **HTMX)
    assert response.status_code == 200
    assert is_fragment(response)
    html = response.content.decode()
    assert html.strip().startswith('<div id="task-results"')
    assert "Write tests" in html
    assert 'role="search"' not in html


def test_htmx_history_restore_gets_the_whole_page(web_client, user):
    response = web_client.get(list_url(), **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert not is_fragment(response)


def test_list_shows_only_the_users_tasks(web_client, user, other_user):
    TaskFactory(user=user, title="Mine")
    TaskFactory(user=other_user, title="Theirs")
    assert titles(web_client.get(list_url())) == ["Mine"]


def test_status_filter(web_client, user):
    TaskFactory(user=user, title="Open one")
    TaskFactory(user=user, title="Done one", completed_at=timezone.now())
    assert titles(web_client.get(list_url())) == ["Open one"]
    assert titles(web_client.get(list_url(status="done"))) == ["Done one"]
    assert sorted(titles(web_client.get(list_url(status="all")))) == ["Done one", "Open one"]


def test_priority_goal_plan_and_search_filters(web_client, user):
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan)
    TaskFactory(user=user, title="Urgent call", priority=1)
    TaskFactory(user=user, title="Goal work", goal=goal, description="draft the outline")
    TaskFactory(user=user, title="Other work", goal=GoalFactory(user=user))
    assert titles(web_client.get(list_url(priority=1))) == ["Urgent call"]
    assert titles(web_client.get(list_url(goal=goal.pk))) == ["Goal work"]
    assert titles(web_client.get(list_url(pdp=plan.pk))) == ["Goal work"]
    assert titles(web_client.get(list_url(search="OUTLINE"))) == ["Goal work"]


def test_due_window_filters(web_client, user, today):
    TaskFactory(user=user, title="Late", due_date=today - datetime.timedelta(days=1))
    TaskFactory(user=user, title="Today", due_date=today)
    TaskFactory(user=user, title="Soon", due_date=today + datetime.timedelta(days=5))
    TaskFactory(user=user, title="Later", due_date=today + datetime.timedelta(days=30))
    TaskFactory(user=user, title="Whenever", due_date=None)
    assert titles(web_client.get(list_url(due="overdue"))) == ["Late"]
    assert titles(web_client.get(list_url(due="today"))) == ["Today"]
    assert titles(web_client.get(list_url(due="week"))) == ["Today", "Soon"]
    assert titles(web_client.get(list_url(due="none"))) == ["Whenever"]


def test_the_page_and_the_api_share_the_filters_names_and_results(web_client, user, today):
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan)
    TaskFactory(user=user, title="Draft the outline", goal=goal, priority=2)
    TaskFactory(user=user, title="Outline, later", goal=goal, priority=4)
    TaskFactory(user=user, title="Draft elsewhere", priority=2)
    TaskFactory(user=user, title="Draft outline, done", goal=goal, completed_at=timezone.now())
    query = {"search": "draft outline", "pdp": plan.pk, "goal": goal.pk, "priority": 2}

    # The session signs in to the API too; the page lists open tasks unless told otherwise.
    api = web_client.get("/api/tasks", {**query, "completed": "false"}).json()["results"]

    assert titles(web_client.get(list_url(**query))) == ["Draft the outline"]
    assert [task["title"] for task in api] == ["Draft the outline"]


def test_overdue_is_marked_on_the_rows_it_applies_to(web_client, user, today):
    TaskFactory(user=user, title="Late", due_date=today - datetime.timedelta(days=1))
    TaskFactory(user=user, title="On time", due_date=today + datetime.timedelta(days=1))
    TaskFactory(
        user=user,
        title="Late but done",
        due_date=today - datetime.timedelta(days=1),
        completed_at=timezone.now(),
    )

    page = web_client.get(list_url(status="all")).content.decode()

    assert page.count('class="is-overdue"') == 1
    assert "Overdue · due" in page[page.index("Late") : page.index("On time")]


def test_a_bad_filter_is_shown_as_an_error_and_not_applied(web_client, user, other_user):
    TaskFactory(user=user, title="Mine")
    theirs = GoalFactory(user=other_user)
    response = web_client.get(list_url(priority="9", goal=theirs.pk, due="someday"))
    assert response.status_code == 200
    assert titles(response) == ["Mine"]
    assert set(response.context["filters"].errors) == {"priority", "goal", "due"}
    assert "Select a valid choice" in response.content.decode()


def test_filtered_empty_state_offers_to_clear(web_client, user):
    response = web_client.get(list_url(search="nothing like this"))
    assert "No tasks match these filters." in response.content.decode()
    response = web_client.get(list_url())
    assert "Nothing to do yet." in response.content.decode()


def test_list_is_paginated_keeping_the_filters(web_client, user):
    TaskFactory.create_batch(55, user=user, priority=2)
    response = web_client.get(list_url(priority=2))
    assert len(response.context["tasks"]) == 50
    assert "?priority=2&amp;page=2" in response.content.decode()
    assert len(web_client.get(list_url(priority=2, page=2)).context["tasks"]) == 5


@pytest.mark.parametrize("rows", [2, 40])
def test_list_costs_the_same_queries_for_any_number_of_rows(
    web_client, user, rows, django_assert_num_queries
):
    goal = GoalFactory(user=user, plan=PlanFactory(user=user))
    TaskFactory.create_batch(rows, user=user, goal=goal)
    overhead = request_overhead(web_client)
    # count for the paginator; the page of tasks with their goals and subtask counts; their
    # labels; their reminders; the goals of the quick add and of the filter; the plans and
    # labels of the filter; the goals and labels of the bulk bar.
    with django_assert_num_queries(overhead + 10):
        response = web_client.get(list_url())
    assert len(response.context["tasks"]) == rows


# --- Quick add ----------------------------------------------------------------------------


def test_quick_add_with_htmx_returns_the_empty_form_and_the_new_row_out_of_band(web_client, user):
    goal = GoalFactory(user=user)
    response = web_client.post(
        reverse("tasks:quick_add"), {"title": "Buy milk", "goal": goal.pk, "lock_goal": "1"}, **HTMX
    )
    assert response.status_code == 200
    assert is_fragment(response)
    task = Task.objects.get(user=user)
    assert (task.title, task.goal) == ("Buy milk", goal)
    html = response.content.decode()
    assert 'id="quick-add"' in html
    assert '<ul hx-swap-oob="afterbegin:#task-list">' in html
    assert f'id="task-{task.pk}"' in html
    # On a goal's page the form keeps adding to that goal.
    assert f'<input type="hidden" name="goal" value="{goal.pk}">' in html


def test_quick_add_with_htmx_and_no_title_answers_422_with_the_error(web_client, user):
    response = web_client.post(
        reverse("tasks:quick_add"), {"title": " ", "due_date": "2026-05-01"}, **HTMX
    )
    assert response.status_code == 422
    assert is_fragment(response)
    html = response.content.decode()
    assert "This field is required." in html
    assert 'value="2026-05-01"' in html  # what was typed stays
    assert not Task.objects.exists()


def test_quick_add_rejects_another_users_goal(web_client, user, other_user):
    theirs = GoalFactory(user=other_user)
    response = web_client.post(
        reverse("tasks:quick_add"), {"title": "Sneaky", "goal": theirs.pk}, **HTMX
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Task.objects.exists()


def test_quick_add_without_javascript_redirects_back(web_client, user):
    response = web_client.post(
        reverse("tasks:quick_add"), {"title": "Buy milk", "next": "/dashboard"}
    )
    assert response.status_code == 302
    assert response.url == "/dashboard"
    assert Task.objects.get(user=user).title == "Buy milk"


def test_quick_add_never_redirects_off_site(web_client, user):
    response = web_client.post(
        reverse("tasks:quick_add"), {"title": "Buy milk", "next": "https://evil.example/"}
    )
    assert response.url == reverse("tasks:list")


def test_quick_add_error_without_javascript_shows_the_full_form_with_what_was_typed(
    web_client, user
):
    response = web_client.post(
        reverse("tasks:quick_add"), {"title": "", "due_date": "2026-05-01", "next": "/dashboard"}
    )
    assert response.status_code == 422
    assert not is_fragment(response)
    html = response.content.decode()
    assert "This field is required." in html
    assert 'value="2026-05-01"' in html
    assert 'value="/dashboard"' in html


# --- Tick done / undone -------------------------------------------------------------------


def test_tick_done_and_undone_with_htmx(web_client, user):
    task = TaskFactory(user=user)
    url = reverse("tasks:toggle", args=[task.pk])
    response = web_client.post(url, {"done": "true"}, **HTMX)
    assert response.status_code == 200
    assert is_fragment(response)
    assert 'aria-pressed="true"' in response.content.decode()
    task.refresh_from_db()
    assert task.is_completed

    response = web_client.post(url, {"done": "false"}, **HTMX)
    assert 'aria-pressed="false"' in response.content.decode()
    task.refresh_from_db()
    assert not task.is_completed


def test_ticking_twice_keeps_the_first_completion_time(web_client, user):
    task = TaskFactory(user=user)
    url = reverse("tasks:toggle", args=[task.pk])
    web_client.post(url, {"done": "true"}, **HTMX)
    task.refresh_from_db()
    first = task.completed_at
    web_client.post(url, {"done": "true"}, **HTMX)
    task.refresh_from_db()
    assert task.completed_at == first


def test_tick_without_javascript_redirects_back(web_client, user):
    task = TaskFactory(user=user)
    response = web_client.post(
        reverse("tasks:toggle", args=[task.pk]), {"done": "true", "next": "/tasks/?status=all"}
    )
    assert response.status_code == 302
    assert response.url == "/tasks/?status=all"


def test_tick_needs_post(web_client, user):
    task = TaskFactory(user=user)
    assert web_client.get(reverse("tasks:toggle", args=[task.pk])).status_code == 405


# --- Inline title edit --------------------------------------------------------------------


def test_inline_edit_form_and_save(web_client, user):
    task = TaskFactory(user=user, title="Old title")
    url = reverse("tasks:title", args=[task.pk])
    response = web_client.get(url, **HTMX)
    assert is_fragment(response)
    assert 'name="title" value="Old title"' in response.content.decode()

    response = web_client.post(url, {"title": "New title"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "New title" in html
    assert 'name="title"' not in html  # back to the plain row
    task.refresh_from_db()
    assert task.title == "New title"


def test_inline_edit_with_an_empty_title_keeps_the_form_with_its_error(web_client, user):
    task = TaskFactory(user=user, title="Old title")
    response = web_client.post(reverse("tasks:title", args=[task.pk]), {"title": ""}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert "This field is required." in html
    task.refresh_from_db()
    assert task.title == "Old title"


def test_inline_edit_without_javascript(web_client, user):
    task = TaskFactory(user=user, title="Old title", description="Keep me")
    url = reverse("tasks:title", args=[task.pk])
    assert web_client.get(url).url == reverse("tasks:edit", args=[task.pk])
    response = web_client.post(url, {"title": ""})
    assert response.status_code == 422
    assert not is_fragment(response)
    assert "Keep me" in response.content.decode()
    response = web_client.post(url, {"title": "Renamed", "next": "/tasks/"})
    assert response.url == "/tasks/"


def test_row_gives_the_row_back_for_cancel(web_client, user):
    task = TaskFactory(user=user, title="As it was")
    url = reverse("tasks:row", args=[task.pk])
    response = web_client.get(url, **HTMX)
    assert is_fragment(response)
    assert f'id="task-{task.pk}"' in response.content.decode()
    assert web_client.get(url).status_code == 302


# --- Edit page, new page, delete ----------------------------------------------------------


def test_edit_page_saves_and_keeps_input_on_errors(web_client, user, other_user):
    task = TaskFactory(user=user, title="Plan trip")
    url = reverse("tasks:edit", args=[task.pk])
    assert web_client.get(url).status_code == 200

    theirs = GoalFactory(user=other_user)
    response = web_client.post(
        url,
        {"title": "Plan the trip", "description": "Typed text", "goal": theirs.pk, "priority": 2},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Typed text" in html

    response = web_client.post(
        url, {"title": "Plan the trip", "priority": 2, "due_date": "2026-04-01"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.priority, task.due_date) == (
        "Plan the trip",
        2,
        datetime.date(2026, 4, 1),
    )


def test_edit_page_rejects_a_priority_out_of_range(web_client, user):
    task = TaskFactory(user=user)
    response = web_client.post(reverse("tasks:edit", args=[task.pk]), {"title": "x", "priority": 9})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_new_task_page(web_client, user):
    goal = GoalFactory(user=user)
    response = web_client.get(reverse("tasks:create") + f"?goal={goal.pk}")
    assert response.status_code == 200
    assert f'<option value="{goal.pk}" selected>' in response.content.decode()
    response = web_client.post(reverse("tasks:create"), {"title": "Full form task", "priority": 3})
    assert response.status_code == 302
    assert Task.objects.get(user=user).title == "Full form task"


def test_delete_confirm_page_then_delete(web_client, user):
    task = TaskFactory(user=user, title="Old chore")
    url = reverse("tasks:delete", args=[task.pk])
    response = web_client.get(url)
    assert "Delete this task?" in response.content.decode()
    response = web_client.post(url, {"next": reverse("tasks:list")})
    assert response.url == reverse("tasks:list")
    assert not Task.objects.exists()


def test_delete_with_htmx_answers_an_announcement(web_client, user):
    task = TaskFactory(user=user, title="Old chore")
    response = web_client.post(reverse("tasks:delete", args=[task.pk]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="status"' in html
    assert "Old chore" in html
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("tasks:edit", "get"),
        ("tasks:edit", "post"),
        ("tasks:toggle", "post"),
        ("tasks:title", "get"),
        ("tasks:title", "post"),
        ("tasks:row", "get"),
        ("tasks:delete", "get"),
        ("tasks:delete", "post"),
    ],
)
def test_another_users_task_is_a_404_page(web_client, other_user, name, method):
    task = TaskFactory(user=other_user, title="Not yours")
    response = getattr(web_client, method)(reverse(name, args=[task.pk]), {"title": "x"})
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in response.content.decode()
    task.refresh_from_db()
    assert (task.title, task.completed_at) == ("Not yours", None)
