"""The web side of undo, bulk actions, the calendar, the board and the dashboard's overdue count."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from goals.factories import GoalFactory
from tasks.factories import LabelFactory, SubtaskFactory, TaskFactory
from tasks.models import Subtask, Task
from tests.web import HTMX, is_fragment, request_overhead

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC))
    return TODAY


def undo_token(response):
    html = response.content.decode()
    start = html.index('name="change" value="') + len('name="change" value="')
    return html[start : html.index('"', start)]


# --- Delete, complete and undo -------------------------------------------------------------


def test_delete_asks_nothing_and_the_toast_offers_undo(web_client, user):
    task = TaskFactory(user=user, title="Call the bank")
    SubtaskFactory(task=task, title="Find the contract")

    response = web_client.post(reverse("tasks:delete", args=[task.pk]), **HTMX)

    assert response.status_code == 200
    assert not Task.objects.exists()
    html = response.content.decode()
    assert f'id="task-{task.pk}"' in html  # the placeholder the row becomes
    assert 'id="toasts"' in html
    assert 'hx-swap-oob="innerHTML"' in html
    assert "Deleted “Call the bank”." in html
    assert 'data-action="undo"' in html


def test_the_row_deletes_with_a_plain_form_and_no_confirm(web_client, user):
    TaskFactory(user=user)

    html = web_client.get(reverse("tasks:list")).content.decode()

    assert "hx-confirm" not in html
    assert 'data-action="delete"' in html


def test_undo_of_a_delete_with_htmx_restores_the_task_and_refreshes_the_lists(web_client, user):
    task = TaskFactory(user=user, title="Call the bank", priority=1)
    SubtaskFactory(task=task, title="Find the contract")
    task_id = task.pk
    deleted = web_client.post(reverse("tasks:delete", args=[task_id]), **HTMX)

    response = web_client.post(reverse("tasks:undo"), {"change": undo_token(deleted)}, **HTMX)

    assert response.status_code == 200
    restored = Task.objects.get(pk=task_id)
    assert (restored.title, restored.priority) == ("Call the bank", 1)
    assert Subtask.objects.get().title == "Find the contract"
    trigger = json.loads(response["HX-Trigger"])
    assert trigger == {"tasks-changed": {"focus": f"task-{task_id}"}}
    assert "Undone: deleted “Call the bank”." in response.content.decode()


def test_an_undo_works_once(web_client, user):
    task = TaskFactory(user=user)
    token = undo_token(web_client.post(reverse("tasks:delete", args=[task.pk]), **HTMX))
    web_client.post(reverse("tasks:undo"), {"change": token}, **HTMX)
    Task.objects.all().delete()

    response = web_client.post(reverse("tasks:undo"), {"change": token}, **HTMX)

    assert "can no longer be undone" in response.content.decode()
    assert not Task.objects.exists()


def test_undo_of_a_completion_without_javascript(web_client, user):
    task = TaskFactory(user=user, title="Pay rent")

    response = web_client.post(
        reverse("tasks:toggle", args=[task.pk]), {"done": "true"}, follow=True
    )

    task.refresh_from_db()
    assert task.is_completed
    html = response.content.decode()
    assert "Completed “Pay rent”." in html
    assert f'action="{reverse("tasks:undo")}"' in html  # the message's Undo button
    web_client.post(reverse("tasks:undo"), follow=True)
    task.refresh_from_db()
    assert not task.is_completed
    assert not task.completions.exists()


def test_a_toggle_with_htmx_brings_its_toast(web_client, user):
    task = TaskFactory(user=user, title="Pay rent")

    response = web_client.post(reverse("tasks:toggle", args=[task.pk]), {"done": "true"}, **HTMX)

    html = response.content.decode()
    assert f'id="task-{task.pk}"' in html
    assert "Completed “Pay rent”." in html
    assert 'hx-swap-oob="innerHTML"' in html


def test_another_users_change_cannot_be_undone_from_my_session(web_client, user, other_user):
    theirs = TaskFactory(user=other_user)
    stranger = Client()
    stranger.force_login(other_user)
    token = undo_token(stranger.post(reverse("tasks:delete", args=[theirs.pk]), **HTMX))

    response = web_client.post(reverse("tasks:undo"), {"change": token}, **HTMX)

    assert "can no longer be undone" in response.content.decode()
    assert not Task.objects.exists()


# --- Bulk actions --------------------------------------------------------------------------


def test_bulk_complete_without_javascript(web_client, user):
    tasks = TaskFactory.create_batch(3, user=user)

    response = web_client.post(
        reverse("tasks:bulk"),
        {"action": "complete", "tasks": [t.pk for t in tasks[:2]], "next": reverse("tasks:list")},
        follow=True,
    )

    assert Task.objects.filter(completed_at__isnull=False).count() == 2
    assert "Completed 2 tasks." in response.content.decode()


def test_bulk_move_label_reschedule_delete_with_htmx_and_undo(web_client, user):
    tasks = TaskFactory.create_batch(2, user=user)
    ids = [t.pk for t in tasks]
    goal, label = GoalFactory(user=user, title="Health"), LabelFactory(user=user, name="gym")

    moved = web_client.post(
        reverse("tasks:bulk"), {"action": "move", "tasks": ids, "goal": goal.pk}, **HTMX
    )
    web_client.post(
        reverse("tasks:bulk"), {"action": "label", "tasks": ids, "label": label.pk}, **HTMX
    )
    web_client.post(
        reverse("tasks:bulk"),
        {"action": "reschedule", "tasks": ids, "due_date": "2026-04-01"},
        **HTMX,
    )

    assert moved["HX-Trigger"] == "tasks-changed"
    assert "Moved 2 tasks to “Health”." in moved.content.decode()
    for task in Task.objects.all():
        assert task.goal == goal
        assert list(task.labels.all()) == [label]
        assert task.due_date == datetime.date(2026, 4, 1)
    deleted = web_client.post(reverse("tasks:bulk"), {"action": "delete", "tasks": ids}, **HTMX)
    assert not Task.objects.exists()
    web_client.post(reverse("tasks:undo"), {"change": undo_token(deleted)}, **HTMX)
    assert Task.objects.count() == 2


def test_bulk_refuses_another_users_task_and_changes_nothing(web_client, user, other_user):
    mine, theirs = TaskFactory(user=user), TaskFactory(user=other_user)

    response = web_client.post(
        reverse("tasks:bulk"), {"action": "delete", "tasks": [mine.pk, theirs.pk]}, **HTMX
    )

    assert response.status_code == 422
    assert "no longer exist" in response.content.decode()
    assert Task.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "complete"}, "Tick the tasks to change first."),
        ({"action": "label"}, "Choose the label."),
        ({"action": "explode"}, "Select a valid choice"),
        ({"action": "move", "goal": "not-a-uuid"}, "Select a valid choice"),
        ({"action": "reschedule", "due_date": "31.02.2026"}, "Enter a valid date"),
    ],
)
def test_bad_bulk_input_is_a_clear_error(web_client, user, data, message):
    task = TaskFactory(user=user)
    ticked = {} if data["action"] == "complete" else {"tasks": [task.pk]}

    response = web_client.post(reverse("tasks:bulk"), {**ticked, **data}, **HTMX)

    assert response.status_code == 422
    assert message in response.content.decode()
    task.refresh_from_db()
    assert not task.is_completed


def test_the_list_has_the_bulk_bar_and_row_checkboxes(web_client, user):
    task = TaskFactory(user=user)

    html = web_client.get(reverse("tasks:list")).content.decode()

    assert 'id="bulk-form"' in html
    assert f'value="{task.pk}" form="bulk-form"' in html
    assert 'hx-trigger="tasks-changed from:body" hx-select="#task-results"' in html


# --- Calendar and board --------------------------------------------------------------------


def test_the_calendar_page(web_client, user, today):
    TaskFactory(user=user, title="Dentist", due_date=today)
    GoalFactory(user=user, title="Marathon", target_date=today + datetime.timedelta(days=5))

    response = web_client.get(reverse("tasks:calendar"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "March 2026" in html
    assert "Dentist" in html
    assert "Marathon" in html
    assert 'aria-current="date"' in html


def test_the_calendar_navigates_with_htmx_and_without(web_client, user, today):
    page = web_client.get(reverse("tasks:calendar"), {"view": "week", "date": "2026-03-17"}, **HTMX)

    assert is_fragment(page)
    assert 'id="calendar"' in page.content.decode()
    assert "Mar 16 \u2013 Mar 22, 2026" in page.content.decode()
    assert 'href="?view=week&amp;date=2026-03-23"' in page.content.decode()


@pytest.mark.parametrize(
    "query", [{"date": "garbage"}, {"date": "0001-01-01"}, {"view": "year"}, {"date": "9999-12-31"}]
)
def test_the_calendar_survives_odd_input(web_client, today, query):
    assert web_client.get(reverse("tasks:calendar"), query).status_code == 200


def test_the_calendar_costs_fixed_queries(web_client, user, today, django_assert_num_queries):
    overhead = request_overhead(web_client)
    TaskFactory(user=user, due_date=today)
    # the tasks of the weeks shown, the goal targets
    with django_assert_num_queries(overhead + 2):
        web_client.get(reverse("tasks:calendar"))
    TaskFactory.create_batch(30, user=user, due_date=today, goal=GoalFactory(user=user))
    with django_assert_num_queries(overhead + 2):
        web_client.get(reverse("tasks:calendar"))


def test_the_board_by_status_and_by_goal(web_client, user, today):
    goal = GoalFactory(user=user, title="Health")
    TaskFactory.create_batch(25, user=user, goal=goal, due_date=today - datetime.timedelta(days=1))

    by_status = web_client.get(reverse("tasks:board")).content.decode()
    by_goal = web_client.get(reverse("tasks:board"), {"by": "goal"}, **HTMX)

    assert "Overdue" in by_status
    assert '<a href="/tasks/?due=overdue">and 5 more</a>' in by_status
    # every column's link lists exactly its tasks
    TaskFactory.create_batch(23, user=user, due_date=today + datetime.timedelta(days=4))
    TaskFactory(user=user, due_date=today)
    for column in web_client.get(reverse("tasks:board")).context["columns"]:
        if column.count:
            listed = web_client.get(column.more_url).context["page"].paginator.count
            assert listed == column.count, column.key
    assert is_fragment(by_goal)
    assert f'<a href="/tasks/?goal={goal.pk}">and 5 more</a>' in by_goal.content.decode()


@pytest.mark.parametrize("by", ["status", "goal"])
def test_the_board_costs_fixed_queries(web_client, user, today, by, django_assert_num_queries):
    overhead = request_overhead(web_client)
    TaskFactory(user=user, due_date=today)
    # by status: the counts, the cards; by goal: the goals, the count without one, the cards;
    # then the cards' labels and reminders
    expected = overhead + (4 if by == "status" else 5)
    with django_assert_num_queries(expected):
        web_client.get(reverse("tasks:board"), {"by": by})
    for _ in range(3):
        TaskFactory.create_batch(10, user=user, due_date=today, goal=GoalFactory(user=user))
    with django_assert_num_queries(expected):
        web_client.get(reverse("tasks:board"), {"by": by})


# --- Dashboard -------------------------------------------------------------------------------


def test_the_dashboard_counts_every_overdue_task_and_links_to_them(web_client, user, today):
    TaskFactory.create_batch(40, user=user, due_date=today - datetime.timedelta(days=2))

    response = web_client.get(reverse("dashboard"))

    html = response.content.decode()
    shown = len(response.context["overdue"])
    assert "40 overdue tasks" in html
    assert f"and {40 - shown} more overdue" in html
    listed = web_client.get(reverse("tasks:list"), {"due": "overdue"})
    assert listed.context["page"].paginator.count == 40
