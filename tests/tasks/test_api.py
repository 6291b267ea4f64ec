import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.services import settings_for
from goals.factories import GoalFactory
from plans.factories import PlanFactory
from tasks.factories import LabelFactory, SubtaskFactory, TaskFactory
from tasks.models import Reminder, Task

pytestmark = pytest.mark.django_db

FUTURE_DAY = datetime.date(2030, 1, 1)

TASK_KEYS = {
    "id",
    "goal",
    "title",
    "description",
    "priority",
    "due_date",
    "completed_at",
    "is_completed",
    "created_at",
    "updated_at",
    # The second round's additions.
    "due_time",
    "labels",
    "recurrence",
    "recurs_after_completion",
    "subtasks_total",
    "subtasks_done",
    "reminders",
}


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def titles(response):
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


# --- create, read, update, delete ----------------------------------------------------------


def test_create_answers_201_with_the_contract_shape_and_defaults(api_client, user):
    response = api_client.post("/api/tasks", {"title": "Write the plan"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == TASK_KEYS
    assert body["priority"] == 3
    assert body["goal"] is None
    assert body["is_completed"] is False
    task = Task.objects.get(pk=body["id"])
    assert task.user == user


def test_create_links_one_of_your_goals(api_client, user):
    goal = GoalFactory(user=user)

    response = api_client.post(
        "/api/tasks", {"title": "Step", "goal": str(goal.pk), "due_date": "2026-03-01"}
    )

    assert response.status_code == 201
    assert response.json()["goal"] == str(goal.pk)
    assert response.json()["due_date"] == "2026-03-01"


def test_the_trailing_slash_is_optional(api_client):
    assert api_client.get("/api/tasks").status_code == 200
    assert api_client.get("/api/tasks/").status_code == 200


@pytest.mark.parametrize("priority", [0, 6, -1, 10**12, "high", None, 2.5])
def test_priority_out_of_range_or_not_an_integer_is_400_and_nothing_is_saved(api_client, priority):
    response = api_client.post("/api/tasks", {"title": "T", "priority": priority}, format="json")

    assert response.status_code == 400
    assert "priority" in response.json()
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"title": "T", "due_date": "2026-02-30"}, "due_date"),
        ({"title": "T", "due_date": "tomorrow"}, "due_date"),
        ({"title": "T", "goal": "not-a-uuid"}, "goal"),
        ({"title": "T", "goal": str(uuid.uuid4())}, "goal"),
        ({"title": "T", "goal": 42}, "goal"),
        ({"title": "nul\x00byte"}, "title"),
    ],
)
def test_invalid_fields_are_400_field_errors(api_client, body, field):
    response = api_client.post("/api/tasks", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Task.objects.exists()


@pytest.mark.parametrize("payload", ["{not json", "[1, 2]", '"a string"', "null", "[" * 5000])
def test_malformed_or_non_object_json_is_400(api_client, payload):
    response = api_client.post("/api/tasks", payload, content_type="application/json")

    assert response.status_code == 400
    assert not Task.objects.exists()


def test_another_users_goal_in_the_body_is_a_400_field_error(api_client, other_user):
    foreign_goal = GoalFactory(user=other_user)

    response = api_client.post("/api/tasks", {"title": "T", "goal": str(foreign_goal.pk)})

    assert response.status_code == 400
    assert list(response.json()) == ["goal"]
    assert not Task.objects.exists()


def test_another_users_goal_cannot_be_patched_in(api_client, user, other_user):
    task = TaskFactory(user=user)
    foreign_goal = GoalFactory(user=other_user)

    response = api_client.patch(f"/api/tasks/{task.pk}", {"goal": str(foreign_goal.pk)})

    assert response.status_code == 400
    assert "goal" in response.json()
    task.refresh_from_db()
    assert task.goal is None


def test_retrieve_answers_the_task(api_client, user):
    task = TaskFactory(user=user, title="Mine", priority=1)

    response = api_client.get(f"/api/tasks/{task.pk}")

    assert response.status_code == 200
    assert response.json()["title"] == "Mine"
    assert response.json()["priority"] == 1


def test_put_replaces_every_writable_field(api_client, user):
    goal = GoalFactory(user=user)
    task = TaskFactory(
        user=user, goal=goal, description="Old", priority=1, due_date=datetime.date(2026, 1, 1)
    )

    response = api_client.put(f"/api/tasks/{task.pk}", {"title": "New"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "New"
    # Left out of a PUT means "back to the default".
    assert (body["description"], body["goal"], body["priority"], body["due_date"]) == (
        "",
        None,
        3,
        None,
    )


def test_put_without_the_required_title_is_400_and_changes_nothing(api_client, user):
    task = TaskFactory(user=user, title="Kept", priority=2)

    response = api_client.put(f"/api/tasks/{task.pk}", {"priority": 4}, format="json")

    assert response.status_code == 400
    assert "title" in response.json()
    task.refresh_from_db()
    assert (task.title, task.priority) == ("Kept", 2)


def test_patch_changes_only_the_given_fields(api_client, user):
    goal = GoalFactory(user=user)
    task = TaskFactory(user=user, goal=goal, description="Kept", priority=1)

    response = api_client.patch(f"/api/tasks/{task.pk}", {"title": "Renamed"}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["title"], body["description"], body["goal"], body["priority"]) == (
        "Renamed",
        "Kept",
        str(goal.pk),
        1,
    )


def test_completed_at_is_read_only_in_the_body(api_client, user):
    task = TaskFactory(user=user)

    response = api_client.patch(
        f"/api/tasks/{task.pk}", {"completed_at": "2026-01-01T00:00:00Z"}, format="json"
    )

    assert response.status_code == 200
    task.refresh_from_db()
    assert task.completed_at is None


def test_delete_answers_204(api_client, user):
    task = TaskFactory(user=user)

    response = api_client.delete(f"/api/tasks/{task.pk}")

    assert response.status_code == 204
    assert not Task.objects.filter(pk=task.pk).exists()


# --- complete / reopen -----------------------------------------------------------------


def test_complete_sets_completed_at_and_completing_twice_keeps_the_first_time(api_client, user):
    task = TaskFactory(user=user)

    first = api_client.post(f"/api/tasks/{task.pk}/complete")
    # Later, within the access token's lifetime.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        second = api_client.post(f"/api/tasks/{task.pk}/complete")

    assert first.status_code == second.status_code == 200
    assert first.json()["completed_at"] is not None
    assert second.json()["completed_at"] == first.json()["completed_at"]
    assert second.json()["is_completed"] is True
    task.refresh_from_db()
    assert task.completed_at.isoformat().replace("+00:00", "Z") == first.json()["completed_at"]


def test_delete_on_complete_reopens_the_task(api_client, user):
    task = TaskFactory(user=user, completed_at=timezone.now())

    response = api_client.delete(f"/api/tasks/{task.pk}/complete")

    assert response.status_code == 200
    assert response.json()["completed_at"] is None
    assert response.json()["is_completed"] is False
    task.refresh_from_db()
    assert task.completed_at is None


def test_complete_takes_no_other_methods(api_client, user):
    task = TaskFactory(user=user)

    assert api_client.get(f"/api/tasks/{task.pk}/complete").status_code == 405
    assert api_client.put(f"/api/tasks/{task.pk}/complete").status_code == 405


# --- ownership, ids and authentication -------------------------------------------------

ROUTES = [
    ("get", "/api/tasks/{id}"),
    ("put", "/api/tasks/{id}"),
    ("patch", "/api/tasks/{id}"),
    ("delete", "/api/tasks/{id}"),
    ("post", "/api/tasks/{id}/complete"),
    ("delete", "/api/tasks/{id}/complete"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_another_users_task_is_404_on_every_route_and_stays_untouched(
    api_client, other_user, method, route
):
    foreign = TaskFactory(user=other_user, title="Theirs", completed_at=timezone.now())
    completed_at = foreign.completed_at

    response = getattr(api_client, method)(
        route.format(id=foreign.pk), {"title": "Mine now"}, format="json"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    foreign.refresh_from_db()
    assert (foreign.title, foreign.completed_at) == ("Theirs", completed_at)


@pytest.mark.parametrize(("method", "route"), ROUTES)
@pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", str(uuid.uuid4())])
def test_malformed_or_unknown_ids_are_404(api_client, method, route, bad_id):
    response = getattr(api_client, method)(route.format(id=bad_id), {"title": "x"}, format="json")

    assert response.status_code == 404


def test_the_list_holds_only_your_tasks(api_client, user, other_user):
    mine = TaskFactory(user=user)
    TaskFactory(user=other_user)

    assert ids(api_client.get("/api/tasks")) == [str(mine.pk)]


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/tasks"), ("post", "/api/tasks"), ("get", f"/api/tasks/{uuid.uuid4()}")],
)
def test_without_a_token_the_answer_is_401(anon_client, method, path):
    assert getattr(anon_client, method)(path).status_code == 401


# --- filters ---------------------------------------------------------------------------


def test_filter_by_goal_and_by_plan(api_client, user):
    plan = PlanFactory(user=user)
    in_plan = GoalFactory(user=user, plan=plan)
    elsewhere = GoalFactory(user=user)
    a = TaskFactory(user=user, goal=in_plan)
    b = TaskFactory(user=user, goal=elsewhere)
    TaskFactory(user=user)

    assert ids(api_client.get(f"/api/tasks?goal={elsewhere.pk}")) == [str(b.pk)]
    assert ids(api_client.get(f"/api/tasks?pdp={plan.pk}")) == [str(a.pk)]


def test_filter_by_another_users_goal_or_plan_finds_nothing(api_client, user, other_user):
    foreign_goal = GoalFactory(user=other_user, plan=PlanFactory(user=other_user))
    TaskFactory(user=other_user, goal=foreign_goal)

    assert ids(api_client.get(f"/api/tasks?goal={foreign_goal.pk}")) == []
    assert ids(api_client.get(f"/api/tasks?pdp={foreign_goal.plan_id}")) == []


def test_filter_completed(api_client, user):
    done = TaskFactory(user=user, completed_at=timezone.now())
    open_ = TaskFactory(user=user)

    assert ids(api_client.get("/api/tasks?completed=true")) == [str(done.pk)]
    assert ids(api_client.get("/api/tasks?completed=false")) == [str(open_.pk)]
    assert len(ids(api_client.get("/api/tasks"))) == 2


def test_filter_priority(api_client, user):
    urgent = TaskFactory(user=user, priority=1)
    TaskFactory(user=user, priority=3)

    assert ids(api_client.get("/api/tasks?priority=1")) == [str(urgent.pk)]


def test_due_before_and_after_include_the_given_day(api_client, user):
    for day in (1, 10, 20):
        TaskFactory(user=user, title=f"day {day}", due_date=datetime.date(2026, 3, day))
    TaskFactory(user=user, title="undated")

    assert titles(api_client.get("/api/tasks?due_before=2026-03-10")) == ["day 1", "day 10"]
    assert titles(api_client.get("/api/tasks?due_after=2026-03-10")) == ["day 10", "day 20"]
    assert titles(api_client.get("/api/tasks?due_after=2026-03-02&due_before=2026-03-19")) == [
        "day 10"
    ]


def test_overdue_means_open_and_due_before_today(api_client, user):
    today = timezone.localdate()
    late = TaskFactory(user=user, title="late", due_date=today - datetime.timedelta(days=1))
    TaskFactory(user=user, title="today", due_date=today)
    TaskFactory(user=user, title="undated")
    TaskFactory(
        user=user,
        title="done late",
        due_date=today - datetime.timedelta(days=9),
        completed_at=timezone.now(),
    )

    assert ids(api_client.get("/api/tasks?overdue=true")) == [str(late.pk)]
    assert sorted(titles(api_client.get("/api/tasks?overdue=false"))) == [
        "done late",
        "today",
        "undated",
    ]


def set_timezone(user, name):
    user_settings = settings_for(user)
    user_settings.timezone = name
    user_settings.save()


# Kiritimati (UTC+14) is always a day or two ahead of Etc/GMT+12 (UTC-12): a task due on the
# day before Kiritimati's today is overdue there and not yet due at UTC-12.
def _kiritimati_yesterday():
    return timezone.localdate(timezone=ZoneInfo("Pacific/Kiritimati")) - datetime.timedelta(1)


def test_overdue_follows_the_users_time_zone(api_client, user):
    TaskFactory(user=user, title="due", due_date=_kiritimati_yesterday())

    set_timezone(user, "Etc/GMT+12")
    assert titles(api_client.get("/api/tasks?overdue=true")) == []
    set_timezone(user, "Pacific/Kiritimati")
    assert titles(api_client.get("/api/tasks?overdue=true")) == ["due"]


def test_overdue_follows_the_time_zone_for_a_browser_session_too(web_client, user):
    TaskFactory(user=user, title="due", due_date=_kiritimati_yesterday())

    set_timezone(user, "Etc/GMT+12")
    assert titles(web_client.get("/api/tasks?overdue=true")) == []
    set_timezone(user, "Pacific/Kiritimati")
    assert titles(web_client.get("/api/tasks?overdue=true")) == ["due"]


@pytest.mark.parametrize(
    "query",
    [
        "completed=maybe",
        "completed=yes please",
        "overdue=2",
        "priority=0",
        "priority=6",
        "priority=high",
        "due_before=2026-02-30",
        "due_after=yesterday",
        "goal=not-a-uuid",
        "pdp=123",
        "search=nul%00byte",
    ],
)
def test_invalid_filter_values_are_400_naming_the_parameter(api_client, query):
    response = api_client.get(f"/api/tasks?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_search_matches_title_and_description(api_client, user, other_user):
    TaskFactory(user=user, title="Buy running shoes", description="")
    TaskFactory(user=user, title="Plan", description="the Running club")
    TaskFactory(user=user, title="Other", description="")
    TaskFactory(user=other_user, title="running too")

    assert sorted(titles(api_client.get("/api/tasks?search=running"))) == [
        "Buy running shoes",
        "Plan",
    ]


# --- ordering and pagination -----------------------------------------------------------


def test_default_order_is_open_first_then_soonest_due_then_undated(api_client, user):
    TaskFactory(user=user, title="done", completed_at=timezone.now())
    TaskFactory(user=user, title="undated")
    TaskFactory(user=user, title="later", due_date=datetime.date(2026, 5, 1))
    TaskFactory(user=user, title="sooner", due_date=datetime.date(2026, 4, 1))

    assert titles(api_client.get("/api/tasks")) == ["sooner", "later", "undated", "done"]


def test_ordering_by_listed_fields_with_empty_values_last(api_client, user):
    TaskFactory(user=user, title="b", priority=2, due_date=datetime.date(2026, 4, 1))
    TaskFactory(user=user, title="a", priority=5, due_date=None)
    TaskFactory(user=user, title="c", priority=1, due_date=datetime.date(2026, 5, 1))

    assert titles(api_client.get("/api/tasks?ordering=priority")) == ["c", "b", "a"]
    assert titles(api_client.get("/api/tasks?ordering=-priority")) == ["a", "b", "c"]
    assert titles(api_client.get("/api/tasks?ordering=title")) == ["a", "b", "c"]
    assert titles(api_client.get("/api/tasks?ordering=due_date")) == ["b", "c", "a"]
    assert titles(api_client.get("/api/tasks?ordering=-due_date")) == ["c", "b", "a"]


def test_ordering_on_an_unlisted_field_is_ignored(api_client, user):
    TaskFactory(user=user)

    assert api_client.get("/api/tasks?ordering=user__password").status_code == 200


def test_pages_hold_20_and_never_repeat_a_row(api_client, user):
    TaskFactory.create_batch(45, user=user, priority=3)  # many equal sort keys

    first = api_client.get("/api/tasks?ordering=priority")
    second = api_client.get("/api/tasks?ordering=priority&page=2")
    third = api_client.get("/api/tasks?ordering=priority&page=3")

    assert first.json()["count"] == 45
    assert first.json()["previous"] is None
    assert "page=2" in first.json()["next"]
    assert third.json()["next"] is None
    seen = ids(first) + ids(second) + ids(third)
    assert [len(ids(page)) for page in (first, second, third)] == [20, 20, 5]
    assert len(set(seen)) == 45


def test_a_page_past_the_end_is_404(api_client, user):
    TaskFactory.create_batch(3, user=user)

    assert api_client.get("/api/tasks?page=2").status_code == 404
    assert api_client.get("/api/tasks?page=0").status_code == 404
    assert api_client.get("/api/tasks?page=last").status_code == 200


def test_page_size_is_honoured_up_to_100(api_client, user):
    TaskFactory.create_batch(105, user=user)

    assert len(ids(api_client.get("/api/tasks?page_size=5"))) == 5
    assert len(ids(api_client.get("/api/tasks?page_size=1000"))) == 100
    assert len(ids(api_client.get("/api/tasks?page_size=nonsense"))) == 20


@pytest.mark.parametrize("rows", [5, 200])
def test_the_list_costs_the_same_few_queries_whatever_its_length(
    api_client, user, rows, django_assert_num_queries
):
    goal = GoalFactory(user=user)
    labels = LabelFactory.create_batch(2, user=user)
    for task in TaskFactory.create_batch(rows, user=user, goal=goal, due_date=FUTURE_DAY):
        task.labels.set(labels)
        SubtaskFactory.create_batch(2, task=task, done=True)
        SubtaskFactory(task=task)
        Reminder.objects.create(task=task, user=user, minutes_before=30)

    with django_assert_num_queries(5):
        # 1. the user named by the JWT, 2. COUNT(*) for the page, 3. the page of tasks with
        # their subtask counts, 4. their labels, 5. their reminders
        response = api_client.get("/api/tasks?page_size=100")

    results = response.json()["results"]
    assert len(results) == min(rows, 100)
    assert {len(task["labels"]) for task in results} == {2}
    assert {(task["subtasks_total"], task["subtasks_done"]) for task in results} == {(3, 2)}
    assert {len(task["reminders"]) for task in results} == {1}


@pytest.mark.parametrize("rows", [5, 200])
def test_the_overdue_list_costs_one_more_query(api_client, user, rows, django_assert_num_queries):
    TaskFactory.create_batch(rows, user=user, due_date=datetime.date(2020, 1, 1))

    with django_assert_num_queries(6):
        # 1. the user named by the JWT, 2. the user's settings (time zone), 3. COUNT(*),
        # 4. the page of tasks, 5. their labels, 6. their reminders
        response = api_client.get("/api/tasks?overdue=true&page_size=100")

    assert response.json()["count"] == rows
