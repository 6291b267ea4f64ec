"""CalDAV against the running server, driven by the real `caldav` client library."""

import datetime as dt

import caldav
import icalendar
import pytest
from caldav.lib import error
from django.urls import reverse

from accounts.factories import UserFactory
from goals.factories import GoalFactory
from integrations.calendar import services
from integrations.calendar.models import AppPassword, DeletedTask, TaskResource
from tasks import services as task_services
from tasks.factories import TaskFactory
from tasks.models import Task

pytestmark = pytest.mark.django_db(transaction=True)

DUE = dt.date(2026, 12, 10)


@pytest.fixture
def task_list(dav_client):
    (calendar,) = dav_client.principal().calendars()
    return calendar


def summaries(todos) -> set[str]:
    return {str(todo.icalendar_component["summary"]) for todo in todos}


def test_discovery_from_the_well_known_url(dav_client, user, app_password):
    principal = dav_client.principal()

    assert str(principal.url).endswith(f"/dav/principals/{user.pk}/")
    (calendar,) = principal.calendars()
    assert str(calendar.url).endswith(f"/dav/calendars/{user.pk}/tasks/")
    assert calendar.get_display_name() == "Bakhmach tasks"
    assert calendar.get_supported_components() == ["VTODO"]
    app_password[0].refresh_from_db()
    assert app_password[0].last_used_at is not None
    assert "caldav" in app_password[0].last_user_agent.lower()


def test_list_shows_the_tasks_of_the_user_only(task_list, user):
    TaskFactory(user=user, title="Buy milk", due_date=DUE, priority=1)
    TaskFactory(user=user, title="Done already").complete()
    TaskFactory(title="Someone else's")

    (todo,) = task_list.todos()
    component = todo.icalendar_component
    assert str(component["summary"]) == "Buy milk"
    assert component["due"].dt == DUE
    assert component["priority"] == 1
    assert str(component["status"]) == "NEEDS-ACTION"
    assert summaries(task_list.todos(include_completed=True)) == {"Buy milk", "Done already"}


def test_a_new_todo_creates_a_task_that_keeps_its_name_and_uid(task_list, user):
    todo = task_list.save_todo(summary="Call Olena", due=DUE, priority=9, uid="phone-1")

    task = Task.objects.get(user=user)
    assert (task.title, task.due_date, task.priority) == ("Call Olena", DUE, 5)
    resource = TaskResource.objects.get(task=task)
    assert resource.uid == "phone-1"
    assert str(todo.url).endswith("/" + resource.name)
    again = task_list.todo_by_uid("phone-1")
    assert str(again.icalendar_component["summary"]) == "Call Olena"


def test_completing_renaming_and_redating_change_the_task(task_list, user):
    task = TaskFactory(user=user, title="Draft", due_date=DUE)
    (todo,) = task_list.todos()

    todo.complete()
    task.refresh_from_db()
    assert task.is_completed

    (todo,) = task_list.todos(include_completed=True)
    component = todo.icalendar_component
    component["summary"] = "Final draft"
    component.pop("due")
    component.add("due", DUE + dt.timedelta(days=3))
    todo.save()
    task.refresh_from_db()
    assert task.title == "Final draft"
    assert task.due_date == DUE + dt.timedelta(days=3)
    assert task.is_completed

    todo.uncomplete()
    task.refresh_from_db()
    assert not task.is_completed


def test_deleting_a_todo_deletes_the_task(task_list, user):
    TaskFactory(user=user, title="Forget me")
    (todo,) = task_list.todos()

    todo.delete()

    assert not Task.objects.filter(user=user).exists()
    assert task_list.todos(include_completed=True) == []


def test_sync_tokens_report_only_what_changed(task_list, user):
    kept = TaskFactory(user=user, title="Kept")
    edited = TaskFactory(user=user, title="Edited")
    removed = TaskFactory(user=user, title="Removed")
    removed_name = f"{removed.pk}.ics"
    first = task_list.get_objects_by_sync_token(load_objects=True, disable_fallback=True)
    assert summaries(first.objects) == {"Kept", "Edited", "Removed"}

    task_services.update_task(task=edited, title="Edited on the web")
    task_services.delete_task(task=removed)
    TaskFactory(user=user, title="Added on the web")

    changes = task_list.get_objects_by_sync_token(
        first.sync_token, load_objects=True, disable_fallback=True
    )
    assert changes.sync_token != first.sync_token
    assert summaries(o for o in changes.objects if o.data) == {
        "Edited on the web",
        "Added on the web",
    }
    assert {str(url).rsplit("/", 1)[1] for url in changes.deleted_urls} == {removed_name}

    unchanged = task_list.get_objects_by_sync_token(
        changes.sync_token, load_objects=True, disable_fallback=True
    )
    assert unchanged.sync_token == changes.sync_token
    assert list(unchanged.objects) == []
    assert kept.pk  # never reported after the first sync


def test_a_lost_update_is_refused_with_412(task_list, dav_client, user):
    task = TaskFactory(user=user, title="Shared")
    (todo,) = task_list.todos()
    stale_etag = todo.props[caldav.elements.dav.GetEtag.tag]
    task_services.update_task(task=task, title="Changed on the web meanwhile")

    todo.icalendar_component["summary"] = "Changed on the phone"
    response = dav_client.put(
        str(todo.url),
        todo.data,
        {"If-Match": stale_etag, "Content-Type": "text/calendar; charset=utf-8"},
    )

    assert response.status == 412
    task.refresh_from_db()
    assert task.title == "Changed on the web meanwhile"


def test_a_wrong_app_password_is_a_401(live_server, user, app_password):
    client = caldav.DAVClient(
        url=live_server.url + "/.well-known/caldav", username=user.email, password="wrong"
    )
    with pytest.raises(error.AuthorizationError) as raised:
        client.principal()
    assert raised.value.status == 401


def test_a_revoked_app_password_is_a_401(live_server, user, app_password):
    services.revoke_app_password(app_password=app_password[0])
    client = caldav.DAVClient(
        url=live_server.url + "/dav/", username=user.email, password=app_password[1]
    )
    with pytest.raises(error.AuthorizationError) as raised:
        client.principal()
    assert raised.value.status == 401


def test_another_users_collection_is_a_404(live_server, dav_client, user):
    stranger = UserFactory()
    TaskFactory(user=stranger, title="Private")
    url = f"{live_server.url}/dav/calendars/{stranger.pk}/tasks/"

    with pytest.raises(error.NotFoundError):
        caldav.Calendar(client=dav_client, url=url).todos()
    assert dav_client.propfind(url, depth=1).status == 404
    assert AppPassword.objects.filter(user=stranger).count() == 0


def test_a_repeating_task_is_a_todo_with_its_rrule(task_list, user):
    task_services.create_task(
        user=user, title="Water the plants", due_date=DUE, recurrence="FREQ=WEEKLY;BYDAY=TH"
    )
    task_services.create_task(
        user=user, title="Five lessons", due_date=DUE, recurrence="FREQ=DAILY;COUNT=5"
    )

    todos = {
        str(t.icalendar_component["summary"]): t.icalendar_component for t in task_list.todos()
    }

    weekly = todos["Water the plants"]
    assert weekly["rrule"] == {"FREQ": ["WEEKLY"], "BYDAY": ["TH"]}
    assert weekly["dtstart"].dt == weekly["due"].dt == DUE
    # COUNT counts from the series' start; from the current occurrence on, it is an UNTIL.
    assert todos["Five lessons"]["rrule"] == {"FREQ": ["DAILY"], "UNTIL": [DUE + dt.timedelta(4)]}


def test_a_client_edits_the_rrule_and_a_new_todo_repeats(task_list, user):
    task = task_services.create_task(
        user=user, title="Water the plants", due_date=DUE, recurrence="FREQ=WEEKLY;BYDAY=TH"
    )
    (todo,) = task_list.todos()

    todo.icalendar_component["rrule"]["BYDAY"] = ["TH", "SU"]
    todo.save()
    task_list.save_todo(summary="Stretch", due=DUE, uid="phone-2", rrule={"FREQ": "DAILY"})

    task.refresh_from_db()
    assert task.recurrence == "FREQ=WEEKLY;BYDAY=TH,SU"
    assert task.due_date == DUE
    assert Task.objects.get(title="Stretch").recurrence == "FREQ=DAILY"


def test_a_rrule_tasks_cannot_keep_is_refused_and_changes_nothing(task_list, user):
    task = task_services.create_task(
        user=user, title="Water the plants", due_date=DUE, recurrence="FREQ=WEEKLY"
    )
    (todo,) = task_list.todos()

    todo.icalendar_component["rrule"] = icalendar.vRecur({"FREQ": "HOURLY", "INTERVAL": 3})
    with pytest.raises(error.AuthorizationError, match="Forbidden"):  # 403 valid-calendar-data
        todo.save()

    task.refresh_from_db()
    assert task.recurrence == "FREQ=WEEKLY"


def test_saving_a_repeating_todo_unchanged_keeps_the_series(task_list, user):
    task = task_services.create_task(
        user=user, title="Five lessons", due_date=DUE, recurrence="FREQ=DAILY;COUNT=5"
    )
    (todo,) = task_list.todos()

    todo.icalendar_component["summary"] = "Five piano lessons"
    todo.save()

    task.refresh_from_db()
    assert (task.title, task.recurrence) == ("Five piano lessons", "FREQ=DAILY;COUNT=5")


def test_a_deletion_on_a_device_can_be_undone_on_the_next_page(task_list, user, client):
    goal = GoalFactory(user=user)
    label = task_services.create_label(user=user, name="home")
    task = task_services.create_task(
        user=user, title="Fix the tap", due_date=DUE, goal=goal, labels=[label]
    )
    task_services.add_subtask(task=task, title="Buy a washer")
    (todo,) = task_list.todos()
    name = str(todo.url).rsplit("/", 1)[1]

    todo.delete()
    assert not Task.objects.filter(pk=task.pk).exists()

    client.force_login(user)
    page = client.get(reverse("tasks:list"))
    text = page.content.decode()
    assert "“Fix the tap” was deleted on Phone." in text
    assert 'action="/tasks/undo"' in text
    assert "was deleted on" not in client.get(reverse("tasks:list")).content.decode()  # once

    response = client.post(reverse("tasks:undo"), {"next": reverse("tasks:list")})

    assert response.status_code == 302
    restored = Task.objects.get(pk=task.pk)
    assert (restored.title, restored.goal, list(restored.labels.all())) == (
        "Fix the tap",
        goal,
        [label],
    )
    assert restored.subtasks.get().title == "Buy a washer"
    (again,) = task_list.todos()  # back on the phone, under its name
    assert str(again.url).endswith("/" + name)
    assert not DeletedTask.objects.exists()


def test_a_deletion_is_offered_to_its_owner_only(task_list, user, client):
    TaskFactory(user=user, title="Mine to undo")
    (todo,) = task_list.todos()
    todo.delete()
    other = UserFactory()

    client.force_login(other)
    assert "was deleted on" not in client.get(reverse("tasks:list")).content.decode()
    assert client.post(reverse("tasks:undo")).status_code == 302
    assert not Task.objects.filter(title="Mine to undo").exists()
    assert DeletedTask.objects.filter(user=user).count() == 1
