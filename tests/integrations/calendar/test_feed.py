"""The subscription feed: a secret URL serving RFC 5545, read back with the `icalendar` library."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from goals.factories import GoalFactory
from goals.models import Status
from integrations.calendar import services
from integrations.calendar.models import Feed
from plans.factories import PlanFactory
from tasks import services as task_services
from tasks.factories import LabelFactory, TaskFactory

pytestmark = pytest.mark.django_db

HOSTILE = "Pay; rent, now\nthen 🎉 sleep — Привіт, світе; " * 4
DUE = dt.date(2026, 12, 10)


def new_feed_url(api_client) -> str:
    response = api_client.post("/api/calendar/feed")
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["url"]


def fetch(client, url, **headers):
    return client.get(url.removeprefix("http://testserver"), headers=headers)


def events(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_serves_due_tasks_goal_deadlines_and_plan_ends(api_client, client, user):
    goal = GoalFactory(user=user, title="Run a marathon", target_date=dt.date(2027, 4, 1))
    task = TaskFactory(user=user, goal=goal, title="Long run", due_date=DUE, priority=1)
    TaskFactory(user=user, title="Someday", due_date=None)
    plan = PlanFactory(user=user, title="2027", end_date=dt.date(2027, 6, 30))
    TaskFactory(due_date=DUE)  # another user's

    response = fetch(client, new_feed_url(api_client))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    assert set(found) == {
        f"task-{task.pk}@bakhmach",
        f"goal-{goal.pk}@bakhmach",
        f"plan-{plan.pk}-end@bakhmach",
    }
    event = found[f"task-{task.pk}@bakhmach"]
    assert str(event["summary"]) == "Long run"
    assert event["dtstart"].dt == DUE
    assert event["dtend"].dt == DUE + dt.timedelta(days=1)
    assert event["dtstart"].params["VALUE"] == "DATE"  # an all-day event, no time zone at play
    assert event["priority"] == 1
    assert "Goal: Run a marathon" in str(event["description"])
    assert str(event["url"]) == "http://testserver" + task.get_absolute_url()
    assert str(found[f"goal-{goal.pk}@bakhmach"]["summary"]) == "Goal: Run a marathon"
    assert found[f"plan-{plan.pk}-end@bakhmach"]["dtstart"].dt == dt.date(2027, 6, 30)


def test_every_required_property_is_there_and_times_are_utc(api_client, client, user):
    TaskFactory(user=user, due_date=DUE)
    GoalFactory(user=user, target_date=DUE)

    calendar = icalendar.Calendar.from_ical(fetch(client, new_feed_url(api_client)).content)

    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]).startswith("-//Bakhmach")
    for event in calendar.walk("VEVENT"):
        for name in ("uid", "dtstamp", "dtstart", "dtend", "summary", "last-modified"):
            assert name in event, name
        for name in ("dtstamp", "last-modified", "created"):
            assert event[name].dt.utcoffset() == dt.timedelta(0)
        assert isinstance(event["sequence"], int)


def test_hostile_titles_are_escaped_folded_and_read_back_whole(api_client, client, user):
    TaskFactory(user=user, title=HOSTILE.strip()[:255], description=HOSTILE, due_date=DUE)

    body = fetch(client, new_feed_url(api_client)).content

    lines = body.split(b"\r\n")
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75  # octets, not characters
    assert any(line.startswith(b" ") for line in lines)  # folded
    assert b"Pay\\; rent\\, now\\nthen" in body.replace(b"\r\n ", b"")
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["summary"]) == HOSTILE.strip()[:255]
    assert str(event["description"]) == HOSTILE


def test_uids_stay_and_sequence_grows_as_a_task_changes(api_client, client, user, time_machine):
    start = timezone.now()
    task = TaskFactory(user=user, due_date=DUE)
    url = new_feed_url(api_client)
    first = events(fetch(client, url))[f"task-{task.pk}@bakhmach"]

    time_machine.move_to(start + dt.timedelta(minutes=5))
    task_services.update_task(task=task, title="Renamed", due_date=DUE + dt.timedelta(days=1))
    second = events(fetch(client, url))[f"task-{task.pk}@bakhmach"]

    assert second["sequence"] > first["sequence"]
    assert second["last-modified"].dt > first["last-modified"].dt
    assert str(second["summary"]) == "Renamed"


def test_rotating_the_token_makes_the_old_url_404(api_client, client, user):
    TaskFactory(user=user, due_date=DUE)
    old = new_feed_url(api_client)
    new = new_feed_url(api_client)

    assert old != new
    assert fetch(client, old).status_code == 404
    assert fetch(client, new).status_code == 200


def test_revoking_makes_the_url_404_and_only_a_digest_is_stored(api_client, client, user):
    url = new_feed_url(api_client)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 43  # 32 random bytes
    feed = Feed.objects.get(user=user)
    assert token not in feed.token_digest
    assert token not in feed.token_encrypted

    services.revoke_feed(user=user)

    assert fetch(client, url).status_code == 404
    assert fetch(client, "/ics/not-a-token.ics").status_code == 404


def test_a_deactivated_account_has_no_feed(api_client, client, user):
    url = new_feed_url(api_client)
    user.mark_deleted()
    assert fetch(client, url).status_code == 404


def test_an_unchanged_feed_answers_304_to_its_etag_and_date(api_client, client, user):
    task = TaskFactory(user=user, due_date=DUE)
    url = new_feed_url(api_client)
    first = fetch(client, url)
    etag, modified = first["ETag"], first["Last-Modified"]

    assert fetch(client, url, if_none_match=etag).status_code == 304
    assert fetch(client, url, if_modified_since=modified).status_code == 304

    task_services.complete_task(task=task)
    changed = fetch(client, url, if_none_match=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert events(changed) == {}


def test_a_deletion_changes_the_etag_too(api_client, client, user):
    keep, gone = TaskFactory(user=user, due_date=DUE), TaskFactory(user=user, due_date=DUE)
    url = new_feed_url(api_client)
    etag = fetch(client, url)["ETag"]

    task_services.delete_task(task=gone)

    response = fetch(client, url, if_none_match=etag)
    assert response.status_code == 200
    assert set(events(response)) == {f"task-{keep.pk}@bakhmach"}


def test_options_choose_completed_tasks_and_goals(api_client, client, user):
    career = GoalFactory(user=user, target_date=DUE)
    health = GoalFactory(user=user, target_date=DUE)
    done_goal = GoalFactory(
        user=user, target_date=DUE, status=Status.COMPLETED, completed_at=timezone.now()
    )
    in_career = TaskFactory(user=user, goal=career, due_date=DUE)
    TaskFactory(user=user, goal=health, due_date=DUE)
    loose = TaskFactory(user=user, due_date=DUE)
    done = TaskFactory(user=user, goal=career, due_date=DUE, completed_at=timezone.now())
    url = new_feed_url(api_client)

    default = set(events(fetch(client, url)))
    assert f"task-{done.pk}@bakhmach" not in default
    assert f"goal-{done_goal.pk}@bakhmach" not in default

    services.update_feed_options(user=user, include_completed=True, goals=[career])
    picked = events(fetch(client, url))
    assert set(picked) == {
        f"task-{in_career.pk}@bakhmach",
        f"task-{loose.pk}@bakhmach",
        f"task-{done.pk}@bakhmach",
        f"goal-{career.pk}@bakhmach",
    }
    assert str(picked[f"task-{done.pk}@bakhmach"]["summary"]).startswith("✓ ")

    services.update_feed_options(
        user=user, include_tasks_without_goal=False, include_goal_dates=False
    )
    assert set(events(fetch(client, url))) == {
        f"task-{in_career.pk}@bakhmach",
        f"task-{done.pk}@bakhmach",
    }


def test_options_choose_labels_with_or_without_goals(api_client, client, user):
    work = task_services.create_label(user=user, name="work")
    home = task_services.create_label(user=user, name="home")
    career = GoalFactory(user=user, target_date=DUE)
    at_work = task_services.create_task(user=user, title="a", due_date=DUE, labels=[work])
    at_home = task_services.create_task(user=user, title="b", due_date=DUE, labels=[home])
    both = task_services.create_task(user=user, title="c", due_date=DUE, labels=[work, home])
    career_work = task_services.create_task(
        user=user, title="d", due_date=DUE, labels=[work], goal=career
    )
    TaskFactory(user=user, due_date=DUE)  # no label
    url = new_feed_url(api_client)

    def tasks_in():
        return {uid for uid in events(fetch(client, url)) if uid.startswith("task-")}

    services.update_feed_options(user=user, labels=[work])
    assert tasks_in() == {f"task-{t.pk}@bakhmach" for t in (at_work, both, career_work)}

    services.update_feed_options(user=user, labels=[work, home], goals=[career])
    assert tasks_in() == {f"task-{t.pk}@bakhmach" for t in (at_work, at_home, both, career_work)}
    services.update_feed_options(user=user, include_tasks_without_goal=False)
    assert tasks_in() == {f"task-{career_work.pk}@bakhmach"}

    with pytest.raises(ValueError, match="owner's labels"):
        services.update_feed_options(user=user, labels=[LabelFactory()])


def test_a_repeating_task_is_one_event_with_its_rrule(api_client, client, user):
    user.settings.timezone = "America/New_York"
    user.settings.save()
    weekly = task_services.create_task(
        user=user, title="Team call", due_date=DUE, due_time=dt.time(21, 30),
        recurrence="FREQ=WEEKLY;COUNT=3",
    )  # fmt: skip
    habit = task_services.create_task(
        user=user, title="Floss", due_date=DUE, recurrence="FREQ=DAILY",
        recurs_after_completion=True,
    )  # fmt: skip
    daily = task_services.create_task(
        user=user, title="Stretch", due_date=DUE, recurrence="FREQ=DAILY;UNTIL=20261231"
    )

    found = events(fetch(client, new_feed_url(api_client)))

    event = found[f"task-{weekly.pk}@bakhmach"]
    # A zoned start: UNTIL is UTC, the last occurrence's start (24 Dec 21:30 New York).
    assert event["rrule"] == {
        "FREQ": ["WEEKLY"],
        "UNTIL": [dt.datetime(2026, 12, 25, 2, 30, tzinfo=dt.UTC)],
    }
    assert event["dtstart"].dt == dt.datetime(
        2026, 12, 10, 21, 30, tzinfo=ZoneInfo("America/New_York")
    )
    assert found[f"task-{daily.pk}@bakhmach"]["rrule"] == {
        "FREQ": ["DAILY"],
        "UNTIL": [dt.date(2026, 12, 31)],
    }
    assert "rrule" not in found[f"task-{habit.pk}@bakhmach"]  # its next date follows completion


def test_the_feed_needs_no_session_but_making_one_needs_sign_in(anon_client, client):
    response = anon_client.post("/api/calendar/feed")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("count", [5, 1000])
def test_the_feed_costs_the_same_queries_for_5_or_1000_tasks(
    api_client, client, user, count, django_assert_num_queries
):
    goal = GoalFactory(user=user, target_date=DUE)
    TaskFactory.create_batch(count, user=user, goal=goal, due_date=DUE)
    url = new_feed_url(api_client)
    services.update_feed_options(user=user, goals=[goal])

    # The feed with its owner and settings; tasks with their goals (and whether goals or
    # labels are picked, inside it); goals; plans; the poll noted.
    with django_assert_num_queries(5):
        response = fetch(client, url)
    assert len(events(response)) == count + 1


def test_the_feed_url_is_on_the_host_the_api_was_asked_on(api_client):
    url = new_feed_url(api_client)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert url == "http://testserver" + reverse("calendar_sync:feed", args=[token])


def test_renaming_a_goal_changes_its_tasks_events_and_the_etag(api_client, client, user):
    goal = GoalFactory(user=user, title="Old name", target_date=None)
    task = TaskFactory(user=user, goal=goal, due_date=DUE)
    url = new_feed_url(api_client)
    etag = fetch(client, url)["ETag"]

    goal.title = "New name"
    goal.save()

    response = fetch(client, url, if_none_match=etag)
    assert response.status_code == 200
    assert "Goal: New name" in str(events(response)[f"task-{task.pk}@bakhmach"]["description"])
