"""Slack's requests to the running app over HTTP: signatures, slash commands and buttons.

The fake Slack signs and sends them to the live server; the app acknowledges, its Celery
tasks (run eagerly here) do the work and answer through the request's response_url.
"""

import datetime
import time

import pytest

from accounts.calendar import UserCalendar
from goals.factories import GoalFactory
from goals.models import ProgressEntry
from integrations.slack import blocks
from integrations.slack.models import SlackLink
from tasks.factories import TaskFactory
from tasks.models import Task

from .conftest import connect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_celery")]


@pytest.fixture
def app_url(live_server):
    return live_server.url


@pytest.fixture
def linked(slack, user, olena):
    return connect(slack, user, olena)


def _answer(slack) -> dict:
    (response,) = slack.responses
    return response


def _text(message: dict) -> str:
    """Everything a person reads in a message: its blocks' text, else the fallback."""
    parts = []
    for block in message.get("blocks") or []:
        text = block.get("text") or {}
        parts.append(text.get("text", ""))
        parts += [element.get("text", "") for element in block.get("elements", [])]
    return "\n".join(parts) or message.get("text", "")


# --- Signatures --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "signing", "signature"),
    [
        ("missing", {}, ""),
        ("wrong", {}, "v0=" + "0" * 64),
        ("other secret", {"secret": "not-our-signing-secret"}, None),
        ("stale", {"age": 5 * 60 + 1}, None),
        ("from the future", {"age": -5 * 60 - 1}, None),
    ],
)
def test_a_request_not_signed_by_slack_just_now_is_refused_and_changes_nothing(
    app_url, slack, linked, olena, case, signing, signature
):
    if "age" in signing:
        signing = {"timestamp": int(time.time()) - signing["age"]}
    request = slack.command_request(app_url, olena, "/task", "Buy milk", **signing)

    answer = slack.post(request, signature=signature)

    assert answer.status_code == 401, case
    assert not Task.objects.exists()
    assert slack.responses == []


def test_a_replayed_request_is_refused_and_works_once(app_url, slack, linked, olena):
    request = slack.command_request(app_url, olena, "/task", "Buy milk")

    first = slack.post(request)
    again = slack.post(request)

    assert (first.status_code, again.status_code) == (200, 401)
    assert Task.objects.count() == 1
    assert len(slack.responses) == 1


def test_events_and_interactions_are_checked_too(app_url, slack, linked, team):
    event = slack.event_request(app_url, team, {"type": "app_uninstalled"})
    interaction = slack.signed(
        f"{app_url}/integrations/slack/interactions",
        b"payload=%7B%7D",
        "application/x-www-form-urlencoded",
    )

    assert slack.post(event, signature="v0=" + "1" * 64).status_code == 401
    assert slack.post(interaction, signature="").status_code == 401
    assert SlackLink.objects.exists()  # the uninstall was not believed


# --- Slash commands ----------------------------------------------------------------------------


def test_task_adds_the_task_and_says_so(app_url, slack, linked, user, olena):
    answer = slack.command(app_url, olena, "/task", "Book the dentist")

    assert answer.status_code == 200
    task = Task.objects.get()
    assert (task.user, task.title, task.completed_at) == (user, "Book the dentist", None)
    reply = _answer(slack)
    assert reply["response_type"] == "ephemeral"
    assert "Book the dentist" in _text(reply)


def test_task_reads_the_line_as_quick_add_does(app_url, slack, linked, user, olena):
    slack.command(app_url, olena, "/task", "Call mom tomorrow 18:00 p1 #family")

    task = Task.objects.get()
    tomorrow = UserCalendar.of(user).today + datetime.timedelta(days=1)
    assert (task.title, task.due_date, task.due_time, task.priority) == (
        "Call mom",
        tomorrow,
        datetime.time(18, 0),
        1,
    )
    assert [label.name for label in task.labels.all()] == ["family"]


def test_log_writes_a_check_in_with_its_note(app_url, slack, linked, user, olena):
    goal = GoalFactory(user=user, title="Run a marathon", progress=25)
    GoalFactory(user=user, title="Read 12 books")

    slack.command(app_url, olena, "/log", "run a marathon 40% long run, knees fine")

    entry = ProgressEntry.objects.get()
    assert (entry.goal, entry.value, entry.note) == (goal, 40, "long run, knees fine")
    assert entry.source == "slack"  # the goal's history says where it came from
    goal.refresh_from_db()
    assert goal.progress == 40
    assert "25% → 40%" in _text(_answer(slack))


def test_log_finds_a_goal_whose_name_holds_a_number(app_url, slack, linked, user, olena):
    goal = GoalFactory(user=user, title="Read 12 books")

    slack.command(app_url, olena, "/log", "Read 12 books 50")

    assert ProgressEntry.objects.get().goal == goal
    goal.refresh_from_db()
    assert goal.progress == 50


def test_log_of_100_completes_the_goal(app_url, slack, linked, user, olena):
    goal = GoalFactory(user=user, title="Learn Spanish", progress=90)

    slack.command(app_url, olena, "/log", "Spanish 100%")

    goal.refresh_from_db()
    assert goal.is_completed
    assert "Goal completed" in _text(_answer(slack))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Swim 40%", "no goal called “Swim”"),
        ("Run 40%", "Several goals match"),
        ("Run a marathon 140%", "between 0 and 100"),
        ("Run a marathon", "Say which goal and how far"),
        ("", "Say which goal and how far"),
    ],
)
def test_log_that_cannot_be_written_says_why_and_writes_nothing(
    app_url, slack, linked, user, olena, text, says
):
    GoalFactory(user=user, title="Run a marathon")
    GoalFactory(user=user, title="Run 5k under 25 minutes")

    slack.command(app_url, olena, "/log", text)

    assert not ProgressEntry.objects.exists()
    assert says in _text(_answer(slack))


def test_log_never_touches_another_users_goal(app_url, slack, linked, other_user, olena):
    GoalFactory(user=other_user, title="Run a marathon")

    slack.command(app_url, olena, "/log", "Run a marathon 40%")

    assert not ProgressEntry.objects.exists()


def test_today_lists_todays_and_overdue_tasks_with_done_buttons(
    app_url, slack, linked, user, other_user, olena
):
    today = UserCalendar.of(user).today
    TaskFactory(user=user, title="Due today", due_date=today)
    TaskFactory(user=user, title="Was due", due_date=today - datetime.timedelta(days=3))
    TaskFactory(user=user, title="Some day", due_date=None)
    TaskFactory(user=other_user, title="Not mine", due_date=today)

    slack.command(app_url, olena, "/today")

    reply = _answer(slack)
    text = _text(reply)
    assert "Due today" in text
    assert "Was due" in text
    assert "Some day" not in text
    assert "Not mine" not in text
    buttons = [
        block["accessory"]["text"]["text"] for block in reply["blocks"] if "accessory" in block
    ]
    assert "Done" in buttons


def test_an_unknown_slack_user_is_told_how_to_connect_and_nothing_is_written(app_url, slack, mike):
    answer = slack.command(app_url, mike, "/task", "Buy milk")

    assert answer.status_code == 200
    assert not Task.objects.exists()
    text = _text(_answer(slack))
    assert "not connected" in text
    assert "/settings/slack" in text


# --- The Done button ---------------------------------------------------------------------------


def test_done_completes_the_task_and_updates_the_message(app_url, slack, linked, user, olena):
    first = TaskFactory(user=user, title="Write the report")
    second = TaskFactory(user=user, title="Call the bank")
    message = {
        "channel": slack.dm_of(olena),
        "ts": "1764650000.000100",
        "text": "Your plan",
        "blocks": [
            blocks.task_row(first),
            blocks.task_row(second),
        ],
    }

    answer = slack.press(app_url, olena, message, "task_done", str(first.pk))

    assert answer.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_completed
    assert not second.is_completed
    update = _answer(slack)
    assert update["replace_original"] is True
    assert "~Write the report~" in update["blocks"][0]["text"]["text"]
    assert "accessory" not in update["blocks"][0]
    assert update["blocks"][1] == message["blocks"][1]


def test_done_on_another_users_task_changes_nothing(app_url, slack, linked, other_user, olena):
    theirs = TaskFactory(user=other_user, title="Theirs")
    message = {
        "channel": slack.dm_of(olena),
        "ts": "1764650000.000200",
        "text": "x",
        "blocks": [blocks.task_row(theirs)],
    }

    slack.press(app_url, olena, message, "task_done", str(theirs.pk))

    theirs.refresh_from_db()
    assert not theirs.is_completed
    assert "no longer exists" in _text(_answer(slack))


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        ("interactions", b"payload=not-json", "application/x-www-form-urlencoded"),
        ("interactions", b"payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
        (
            "interactions",
            b"payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A7%2C%22actions%22%3A%22x%22%7D",
            "application/x-www-form-urlencoded",
        ),
        ("events", b"{not json", "application/json"),
        ("events", b'{"type":"event_callback","event":"app_uninstalled"}', "application/json"),
        (
            "events",
            b'{"type":"event_callback","event":{"type":"tokens_revoked","tokens":3}}',
            "application/json",
        ),
        ("commands", b"\xff\xfe", "application/x-www-form-urlencoded"),
    ],
)
def test_signed_nonsense_is_a_clear_answer_never_a_server_error(
    app_url, slack, linked, path, body, content_type
):
    answer = slack.post(slack.signed(f"{app_url}/integrations/slack/{path}", body, content_type))

    assert answer.status_code in (200, 400)
    assert SlackLink.objects.exists()


def test_a_response_url_off_slacks_hooks_host_is_never_requested(app_url, slack, linked, olena):
    request = slack.command_request(app_url, olena, "/task", "Buy milk")
    body = request.body.replace(
        slack.url.replace(":", "%3A").replace("/", "%2F").encode(),
        b"http%3A%2F%2F127.0.0.1%3A9",
    )

    answer = slack.post(slack.signed(request.url, body, request.content_type))

    assert answer.status_code == 400
    assert not Task.objects.exists()
