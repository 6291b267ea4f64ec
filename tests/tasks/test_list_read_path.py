"""`GET /api/tasks` read as plain rows and answered from the per-user cache: the same bytes as
`TaskSerializer`, fresh after every kind of write, and no query on a cache hit."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator
from rest_framework.renderers import JSONRenderer

from goals import services as goal_services
from goals.factories import GoalFactory
from integrations.calendar.services import schedule_task
from plans import services as plan_services
from plans.factories import PlanFactory
from tasks import bulk, services, undo
from tasks.factories import LabelFactory, SubtaskFactory
from tasks.models import Task
from tasks.selectors import tasks_of
from tasks.serializers import TaskSerializer

DAY = datetime.date(2031, 3, 10)


def rendered(data) -> bytes:
    return JSONRenderer().render(data)


def serializer_rows(user) -> list:
    """The user's tasks in the list's default order, as `TaskSerializer` shows each."""
    tasks = tasks_of(user).with_details().order_by(*Task._meta.ordering, "pk")
    return [TaskSerializer(task).data for task in tasks]


@pytest.fixture
def varied(user):
    """Tasks with and without everything a row shows."""
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan)
    home, work = LabelFactory(user=user, name="home"), LabelFactory(user=user, name="Work")
    rich = services.create_task(
        user=user,
        title="Renew passport ✓",
        description="Two photos",
        priority=2,
        goal=goal,
        due_date=DAY,
        due_time=datetime.time(9, 30),
        labels=[work, home],
        reminders=[
            {"minutes_before": 60},
            {"fixed_at": datetime.datetime(2031, 3, 1, 8, tzinfo=datetime.UTC)},
        ],
    )
    SubtaskFactory(task=rich, title="Photos", done=True, position=0)
    SubtaskFactory(task=rich, title="Form", position=1)
    services.create_task(user=user, title="Bare")
    weekly = services.create_task(
        user=user, title="Run", due_date=DAY, recurrence="FREQ=WEEKLY;BYDAY=MO"
    )
    done = services.create_task(user=user, title="Done", goal=goal, labels=[home])
    services.complete_task(task=done)
    return {"goal": goal, "plan": plan, "label": home, "task": rich, "weekly": weekly}


def listed(api_client, query="?page_size=100"):
    response = api_client.get(f"/api/tasks{query}")
    assert response.status_code == 200
    return response.json()


def test_the_lean_list_is_byte_for_byte_the_serializers(api_client, user, varied):
    results = listed(api_client)["results"]

    assert len(results) == 4
    expected = serializer_rows(user)
    assert [rendered(row) for row in results] == [rendered(row) for row in expected]
    assert rendered(results) == rendered(expected)


@pytest.mark.parametrize("query", ["", "?ordering=-priority", "?ordering=title&page_size=2"])
def test_a_cache_hit_answers_the_same_without_a_query(api_client, user, varied, query):
    first = api_client.get(f"/api/tasks{query}")
    with CaptureQueriesContext(connection) as queries:
        second = api_client.get(f"/api/tasks{query}")

    assert second.content == first.content
    assert queries.captured_queries == []  # the JWT's user is cached as well


def test_the_links_of_a_cached_page_are_the_requests(api_client, user, varied):
    first = listed(api_client, "?page_size=1&page=2")
    again = listed(api_client, "?page=2&page_size=1")  # the same page, asked in another order

    assert again["results"] == first["results"]
    assert first["count"] == 4
    assert again["next"].endswith("page=3&page_size=1")
    assert api_client.get("/api/tasks?page=9&page_size=1").status_code == 404


WRITES = {
    "create": lambda v: services.create_task(user=v["user"], title="New"),
    "quick add": lambda v: services.quick_add(user=v["user"], text="Call mom p1 #family"),
    "update": lambda v: services.update_task(task=v["task"], title="Renamed"),
    "labels": lambda v: services.update_task(task=v["task"], labels=[v["label"]]),
    "reminders": lambda v: services.update_task(task=v["task"], reminders=[]),
    "delete": lambda v: services.delete_task(task=v["task"]),
    "complete": lambda v: services.complete_task(task=v["task"]),
    "complete recurring": lambda v: services.complete_task(task=v["weekly"]),
    "reopen": lambda v: services.reopen_task(task=services.complete_task(task=v["task"])),
    "skip": lambda v: services.skip_occurrence(task=v["weekly"]),
    "add subtask": lambda v: services.add_subtask(task=v["task"], title="More"),
    "tick subtask": lambda v: services.update_subtask(
        subtask=v["task"].subtasks.get(title="Form"), done=True
    ),
    "delete subtask": lambda v: services.delete_subtask(
        subtask=v["task"].subtasks.get(title="Form")
    ),
    "move subtask": lambda v: services.move_subtask(
        subtask=v["task"].subtasks.get(title="Form"), up=True
    ),
    # The new name sorts the task's label ids the other way round.
    "rename label": lambda v: services.update_label(label=v["label"], name="zzz last"),
    "delete label": lambda v: services.delete_label(label=v["label"]),
    "bulk complete": lambda v: bulk.complete_tasks(user=v["user"], task_ids=[v["task"].pk]),
    "bulk move": lambda v: bulk.move_tasks(user=v["user"], task_ids=[v["task"].pk], goal=None),
    "bulk reschedule": lambda v: bulk.reschedule_tasks(
        user=v["user"], task_ids=[v["task"].pk], due_date=DAY + datetime.timedelta(days=1)
    ),
    "bulk delete": lambda v: bulk.delete_tasks(user=v["user"], task_ids=[v["task"].pk]),
    "undo": lambda v: undo.restore(user=v["user"], state=_deleted_then_snapshot(v)),
    "imports": lambda v: services.create_tasks(user=v["user"], tasks=[{"title": "Imported"}]),
    "delete goal": lambda v: goal_services.delete_goal(goal=v["goal"]),
    "delete plan": lambda v: plan_services.delete_plan(plan=v["plan"], cascade=True),
    "calendar block": lambda v: schedule_task(
        task=v["task"], day=DAY, start=datetime.time(14), minutes=30
    ),
}


def _deleted_then_snapshot(v) -> dict:
    state = undo.snapshot([v["task"]])
    services.delete_task(task=v["task"])
    return state


@pytest.mark.parametrize("write", WRITES)
def test_the_next_answer_after_a_write_is_fresh(api_client, user, varied, write):
    before = listed(api_client)
    listed(api_client)  # a cache hit now

    WRITES[write]({**varied, "user": user, "task": Task.objects.get(pk=varied["task"].pk)})

    after = listed(api_client)
    assert rendered(after["results"]) == rendered(serializer_rows(user))
    assert after["count"] == len(after["results"])
    if write not in ("undo", "move subtask"):  # these put back / reorder what the row shows
        assert after != before


def test_a_write_through_the_api_is_seen_by_the_next_list(api_client, user, varied):
    listed(api_client)
    task_id = varied["task"].pk

    assert api_client.post(f"/api/tasks/{task_id}/subtasks", {"title": "x"}).status_code == 201
    assert listed(api_client)["results"][0]["subtasks_total"] == 3
    assert api_client.patch(f"/api/tasks/{task_id}", {"priority": 5}).status_code == 200
    row = next(row for row in listed(api_client)["results"] if row["id"] == str(task_id))
    assert row["priority"] == 5


def test_a_deep_page_reads_only_its_rows(api_client, user, django_assert_num_queries):
    services.create_tasks(user=user, tasks=[{"title": f"T{n}"} for n in range(45)])

    with django_assert_num_queries(5):  # user, count, page (ids in a subquery), labels, reminders
        page = listed(api_client, "?page=3")

    assert [row["title"] for row in page["results"]] == [
        row["title"] for row in serializer_rows(user)[40:]
    ]


def walk(api_client, url):
    """Every row from `url` on, following `next` links; and the answers."""
    answers = []
    while url:
        response = api_client.get(url)
        assert response.status_code == 200, response.content
        answers.append(response.json())
        url = answers[-1]["next"]
    return [row for answer in answers for row in answer["results"]], answers


def test_a_cursor_walks_every_task_once_oldest_first(api_client, user):
    services.create_tasks(user=user, tasks=[{"title": f"T{n}"} for n in range(7)])
    first = services.create_task(user=user, title="First page, then completed")
    Task.objects.filter(pk=first.pk).update(
        created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    services.update_task(task=first, title="First")  # and the version moves

    rows, answers = walk(api_client, "/api/tasks?cursor=&page_size=3")

    oldest_first = Task.objects.filter(user=user).order_by("created_at", "pk")
    assert [row["id"] for row in rows] == [
        str(pk) for pk in oldest_first.values_list("pk", flat=True)
    ]
    assert [len(answer["results"]) for answer in answers] == [3, 3, 2]
    assert {answer["count"] for answer in answers} == {8}
    assert answers[0]["previous"] is None
    back = api_client.get(answers[2]["previous"]).json()
    assert back["results"] == answers[1]["results"]
    assert back["next"]
    assert back["previous"]


def test_a_walk_sees_rows_completed_meanwhile_once_and_applies_filters(api_client, user):
    tasks = services.create_tasks(
        user=user, tasks=[{"title": f"T{n}", "priority": 1 + n % 2} for n in range(6)]
    )
    page = api_client.get("/api/tasks?cursor=&page_size=2").json()
    services.complete_task(task=Task.objects.get(pk=page["results"][0]["id"]))
    services.complete_task(task=Task.objects.get(pk=tasks[-1].pk))

    rest, _ = walk(api_client, page["next"])

    assert len(page["results"]) + len(rest) == 6
    only_high, _ = walk(api_client, "/api/tasks?cursor=&priority=1&page_size=2")
    assert {row["priority"] for row in only_high} == {1}
    assert len(only_high) == 3


@pytest.mark.parametrize(
    "cursor", ["nonsense", "e30=", "WzEsMiwzXQ==", "WyIyMDIwLTAxLTAxIiwieCIsIm4iXQ=="]
)
def test_a_bad_cursor_is_a_400_naming_it(api_client, user, cursor):
    response = api_client.get(f"/api/tasks?cursor={cursor}")

    assert response.status_code == 400
    assert "cursor" in response.json()


def test_the_cursor_is_in_the_schema(db):
    schema = SchemaGenerator().get_schema(request=None, public=True)
    names = [p["name"] for p in schema["paths"]["/api/tasks"]["get"]["parameters"]]
    assert "cursor" in names
