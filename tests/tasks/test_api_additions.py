"""The second round's task API: labels, subtasks, due time, reminders, recurrence, completions,
skipping and parsing (the contract's "Tasks: recurrence, labels, subtasks, time, …")."""

import datetime
import uuid

import pytest

from accounts.services import settings_for
from tasks.factories import LabelFactory, SubtaskFactory, TaskFactory
from tasks.models import Label, Subtask, Task

pytestmark = pytest.mark.django_db

MONDAY = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)


@pytest.fixture
def on_monday(time_machine):
    time_machine.move_to(MONDAY, tick=False)


def create(api_client, **body):
    response = api_client.post("/api/tasks", {"title": "Task", **body}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


# --- Labels ----------------------------------------------------------------------------------


def test_labels_are_created_listed_renamed_and_deleted(api_client, user):
    created = api_client.post("/api/labels", {"name": "Family", "color": "#2563eb"}, format="json")
    assert created.status_code == 201
    label = created.json()
    assert set(label) == {"id", "name", "color"}

    assert api_client.get("/api/labels").json()["results"] == [label]
    renamed = api_client.patch(f"/api/labels/{label['id']}", {"name": "Home"}, format="json")
    assert renamed.json()["name"] == "Home"
    assert api_client.delete(f"/api/labels/{label['id']}").status_code == 204
    assert not Label.objects.exists()


def test_a_label_without_a_colour_gets_the_default(api_client):
    body = api_client.post("/api/labels", {"name": "Work"}, format="json").json()

    assert body["color"] == Label.DEFAULT_COLOR


@pytest.mark.parametrize("name", ["family", "FAMILY", " Family "])
def test_label_names_are_unique_per_user_in_any_letter_case(api_client, user, name):
    LabelFactory(user=user, name="Family")

    response = api_client.post("/api/labels", {"name": name}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()


def test_another_users_label_of_the_same_name_is_fine(api_client, other_user):
    LabelFactory(user=other_user, name="Family")

    assert api_client.post("/api/labels", {"name": "Family"}, format="json").status_code == 201


def test_renaming_a_label_to_a_taken_name_is_a_400(api_client, user):
    LabelFactory(user=user, name="Family")
    work = LabelFactory(user=user, name="Work")

    response = api_client.patch(f"/api/labels/{work.pk}", {"name": "family"}, format="json")

    assert response.status_code == 400
    work.refresh_from_db()
    assert work.name == "Work"


@pytest.mark.parametrize("color", ["blue", "#12345", "#gggggg", "", "#1234567"])
def test_a_colour_is_hex(api_client, color):
    response = api_client.post("/api/labels", {"name": "X", "color": color}, format="json")

    assert response.status_code == 400
    assert "color" in response.json()


def test_another_users_label_is_a_404(api_client, other_user):
    label = LabelFactory(user=other_user)

    assert api_client.get(f"/api/labels/{label.pk}").status_code == 404
    assert (
        api_client.patch(f"/api/labels/{label.pk}", {"name": "Mine"}, format="json").status_code
        == 404
    )
    assert api_client.delete(f"/api/labels/{label.pk}").status_code == 404
    assert api_client.get("/api/labels").json()["count"] == 0


def test_a_task_takes_your_labels(api_client, user):
    family, work = LabelFactory(user=user, name="family"), LabelFactory(user=user, name="work")

    body = create(api_client, labels=[str(family.pk), str(work.pk)])

    assert sorted(body["labels"]) == sorted([str(family.pk), str(work.pk)])
    patched = api_client.patch(
        f"/api/tasks/{body['id']}", {"labels": [str(work.pk)]}, format="json"
    )
    assert patched.json()["labels"] == [str(work.pk)]


def test_another_users_label_on_a_task_is_a_400_and_nothing_is_saved(api_client, other_user):
    theirs = LabelFactory(user=other_user)

    response = api_client.post(
        "/api/tasks", {"title": "T", "labels": [str(theirs.pk)]}, format="json"
    )

    assert response.status_code == 400
    assert "labels" in response.json()
    assert not Task.objects.exists()


def test_the_list_filters_by_label(api_client, user):
    family = LabelFactory(user=user)
    tagged = TaskFactory(user=user)
    tagged.labels.add(family)
    TaskFactory(user=user)

    body = api_client.get(f"/api/tasks?label={family.pk}").json()

    assert [task["id"] for task in body["results"]] == [str(tagged.pk)]
    assert api_client.get("/api/tasks?label=nope").status_code == 400


def test_deleting_a_label_keeps_its_tasks(api_client, user):
    label = LabelFactory(user=user)
    task = TaskFactory(user=user)
    task.labels.add(label)

    api_client.delete(f"/api/labels/{label.pk}")

    assert api_client.get(f"/api/tasks/{task.pk}").json()["labels"] == []


# --- Subtasks --------------------------------------------------------------------------------


def test_subtasks_are_a_checklist_in_order(api_client, user):
    task = TaskFactory(user=user)
    url = f"/api/tasks/{task.pk}/subtasks"

    first = api_client.post(url, {"title": "Buy paint"}, format="json")
    second = api_client.post(url, {"title": "Paint"}, format="json")
    assert first.status_code == second.status_code == 201
    assert set(first.json()) == {"id", "title", "done", "position"}

    listed = api_client.get(url).json()
    assert [item["title"] for item in listed] == ["Buy paint", "Paint"]
    ticked = api_client.patch(f"{url}/{first.json()['id']}", {"done": True}, format="json")
    assert ticked.json()["done"] is True
    body = api_client.get(f"/api/tasks/{task.pk}").json()
    assert (body["subtasks_total"], body["subtasks_done"]) == (2, 1)

    assert api_client.delete(f"{url}/{second.json()['id']}").status_code == 204
    assert Subtask.objects.count() == 1


def test_a_subtask_can_be_moved(api_client, user):
    task = TaskFactory(user=user)
    first, second = SubtaskFactory(task=task, position=0), SubtaskFactory(task=task, position=1)

    negative = api_client.patch(
        f"/api/tasks/{task.pk}/subtasks/{second.pk}", {"position": -1}, format="json"
    )
    assert negative.status_code == 400
    api_client.patch(f"/api/tasks/{task.pk}/subtasks/{first.pk}", {"position": 5}, format="json")

    listed = api_client.get(f"/api/tasks/{task.pk}/subtasks").json()
    assert [item["id"] for item in listed] == [str(second.pk), str(first.pk)]


def test_another_users_task_has_no_subtasks_for_you(api_client, other_user):
    task = TaskFactory(user=other_user)
    subtask = SubtaskFactory(task=task)
    url = f"/api/tasks/{task.pk}/subtasks"

    assert api_client.get(url).status_code == 404
    assert api_client.post(url, {"title": "Mine"}, format="json").status_code == 404
    assert api_client.patch(f"{url}/{subtask.pk}", {"done": True}, format="json").status_code == 404
    assert api_client.delete(f"{url}/{subtask.pk}").status_code == 404
    assert Subtask.objects.get().done is False


def test_a_subtask_of_another_task_is_a_404(api_client, user):
    mine, other = TaskFactory(user=user), TaskFactory(user=user)
    subtask = SubtaskFactory(task=other)

    response = api_client.patch(
        f"/api/tasks/{mine.pk}/subtasks/{subtask.pk}", {"done": True}, format="json"
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    "body", [{}, {"title": ""}, {"title": "x" * 256}, {"title": "ok", "done": "maybe"}]
)
def test_a_bad_subtask_is_a_400(api_client, user, body):
    task = TaskFactory(user=user)

    assert api_client.post(f"/api/tasks/{task.pk}/subtasks", body, format="json").status_code == 400


# --- Due time and reminders ------------------------------------------------------------------


def test_due_time_is_hh_mm(api_client):
    body = create(api_client, due_date="2026-03-02", due_time="18:00")

    assert body["due_time"] == "18:00"


@pytest.mark.parametrize("due_time", ["25:00", "6pm", "18", 1800])
def test_a_bad_due_time_is_a_400(api_client, due_time):
    response = api_client.post(
        "/api/tasks", {"title": "T", "due_date": "2026-03-02", "due_time": due_time}, format="json"
    )

    assert response.status_code == 400
    assert "due_time" in response.json()


def test_a_due_time_without_a_date_is_a_400(api_client):
    response = api_client.post("/api/tasks", {"title": "T", "due_time": "18:00"}, format="json")

    assert response.status_code == 400
    assert not Task.objects.exists()


def test_reminders_before_the_due_time_and_at_a_moment(on_monday, api_client, user):
    user_settings = settings_for(user)
    user_settings.timezone = "Europe/Kyiv"
    user_settings.save()

    body = create(
        api_client,
        due_date="2026-03-03",
        due_time="18:00",
        reminders=[{"minutes_before": 30}, {"remind_at": "2026-03-03T08:00:00Z"}],
    )

    assert sorted(reminder["remind_at"] for reminder in body["reminders"]) == [
        "2026-03-03T08:00:00Z",
        "2026-03-03T15:30:00Z",  # 17:30 in Kyiv
    ]
    assert all(
        set(reminder) == {"id", "remind_at", "minutes_before"} for reminder in body["reminders"]
    )


@pytest.mark.parametrize(
    "reminder",
    [{}, {"minutes_before": 10, "remind_at": "2026-03-03T08:00:00Z"}, {"minutes_before": -1},
     {"minutes_before": 10**7}, {"remind_at": "soon"}],
)  # fmt: skip
def test_a_bad_reminder_is_a_400(api_client, reminder):
    response = api_client.post(
        "/api/tasks",
        {"title": "T", "due_date": "2026-03-03", "reminders": [reminder]},
        format="json",
    )

    assert response.status_code == 400
    assert "reminders" in response.json()


# --- Recurrence and completions --------------------------------------------------------------


def test_completing_a_recurring_task_moves_it_to_the_next_date(on_monday, api_client):
    task = create(api_client, due_date="2026-03-02", recurrence="FREQ=WEEKLY;BYDAY=MO,TH")
    assert task["recurrence"] == "FREQ=WEEKLY;BYDAY=MO,TH"

    done = api_client.post(f"/api/tasks/{task['id']}/complete").json()

    assert (done["due_date"], done["completed_at"], done["is_completed"]) == (
        "2026-03-05",
        None,
        False,
    )
    completions = api_client.get(f"/api/tasks/{task['id']}/completions").json()
    assert completions["count"] == 1
    assert completions["results"] == [
        {"completed_at": "2026-03-02T12:00:00Z", "due_date": "2026-03-02"}
    ]


def test_a_one_off_task_has_one_completion(on_monday, api_client, user):
    task = create(api_client)
    api_client.post(f"/api/tasks/{task['id']}/complete")
    api_client.post(f"/api/tasks/{task['id']}/complete")  # twice: still one

    assert api_client.get(f"/api/tasks/{task['id']}/completions").json()["count"] == 1
    api_client.delete(f"/api/tasks/{task['id']}/complete")
    assert api_client.get(f"/api/tasks/{task['id']}/completions").json()["count"] == 0


@pytest.mark.parametrize(
    "rule", ["every day", "FREQ=HOURLY", "FREQ=DAILY;BYHOUR=3", "FREQ=MONTHLY;BYMONTHDAY=32"]
)
def test_an_invalid_rule_is_a_400(api_client, rule):
    response = api_client.post(
        "/api/tasks", {"title": "T", "due_date": "2026-03-02", "recurrence": rule}, format="json"
    )

    assert response.status_code == 400
    assert "recurrence" in response.json()


def test_a_one_off_task_has_a_null_rule(api_client):
    assert create(api_client)["recurrence"] is None
    assert create(api_client, recurrence=None)["recurrence"] is None


def test_skipping_an_occurrence(on_monday, api_client):
    task = create(api_client, due_date="2026-03-02", recurrence="FREQ=DAILY")

    skipped = api_client.post(f"/api/tasks/{task['id']}/skip")

    assert skipped.json()["due_date"] == "2026-03-03"
    assert api_client.get(f"/api/tasks/{task['id']}/completions").json()["count"] == 0
    one_off = create(api_client)
    assert api_client.post(f"/api/tasks/{one_off['id']}/skip").status_code == 400


def test_moving_only_this_occurrence(on_monday, api_client):
    task = create(api_client, due_date="2026-03-02", recurrence="FREQ=WEEKLY;BYDAY=MO")

    moved = api_client.patch(
        f"/api/tasks/{task['id']}", {"due_date": "2026-03-03", "scope": "this"}, format="json"
    )
    done = api_client.post(f"/api/tasks/{task['id']}/complete").json()

    assert moved.json()["due_date"] == "2026-03-03"
    assert done["due_date"] == "2026-03-09"
    assert "scope" not in done


def test_another_users_task_completions_and_skip_are_404(api_client, other_user):
    task = TaskFactory(user=other_user)

    assert api_client.get(f"/api/tasks/{task.pk}/completions").status_code == 404
    assert api_client.post(f"/api/tasks/{task.pk}/skip").status_code == 404
    assert api_client.get(f"/api/tasks/{uuid.uuid4()}/completions").status_code == 404


# --- Parsing ---------------------------------------------------------------------------------


def test_parse_says_what_quick_add_would_create(on_monday, api_client, user):
    response = api_client.post(
        "/api/tasks/parse", {"text": "Call mom tomorrow 18:00 p1 #family"}, format="json"
    )

    assert response.status_code == 200
    assert response.json() == {
        "title": "Call mom",
        "due_date": "2026-03-03",
        "due_time": "18:00",
        "priority": 1,
        "labels": ["family"],
        "recurrence": None,
        "recurs_after_completion": False,
    }
    assert not Task.objects.exists()
    assert not Label.objects.exists()


def test_parse_counts_days_in_the_users_zone(on_monday, api_client, user):
    user_settings = settings_for(user)
    user_settings.timezone = "Pacific/Auckland"  # 01:00 on Tuesday there
    user_settings.save()

    body = api_client.post("/api/tasks/parse", {"text": "x today"}, format="json").json()

    assert body["due_date"] == "2026-03-03"  # already Tuesday in Auckland


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "x" * 1001}, {"text": ["a"]}])
def test_parse_refuses_bad_input(api_client, body):
    response = api_client.post("/api/tasks/parse", body, format="json")

    assert response.status_code == 400
    assert "text" in response.json()


def test_parse_needs_a_signed_in_user(anon_client):
    assert anon_client.post("/api/tasks/parse", {"text": "x"}, format="json").status_code == 401
