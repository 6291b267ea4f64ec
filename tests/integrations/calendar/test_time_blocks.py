"""Time blocks: a task given a time (and a length) is a timed event in the feed, and its due
time on CalDAV devices."""

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from integrations.calendar import services
from integrations.calendar.models import TimeBlock
from tasks.factories import TaskFactory
from tasks.models import Task
from tests.web import NOT_FOUND_TEXT, request_overhead

pytestmark = pytest.mark.django_db

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")
DAY = dt.date(2026, 12, 10)
PAGE = reverse("calendar_sync:time-blocks")


@pytest.fixture
def in_kyiv(user):
    user.settings.timezone = "Europe/Kyiv"
    user.settings.save()
    return user


def feed_events(client, user) -> dict[str, icalendar.Event]:
    token = services.rotate_feed(user=user)
    response = client.get(reverse("calendar_sync:feed", args=[token]))
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] in ([], ["Europe/Kyiv"])
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def set_time(web_client, task, **data):
    fields = {"day": DAY.isoformat(), "start": "09:00", "minutes": "30"} | data
    return web_client.post(reverse("calendar_sync:time-block-set", args=[task.pk]), fields)


def test_a_task_with_a_time_is_a_timed_event_in_the_owners_zone(client, in_kyiv):
    timed = TaskFactory(user=in_kyiv, due_date=DAY, due_time=dt.time(9, 0))
    all_day = TaskFactory(user=in_kyiv, due_date=DAY)

    events = feed_events(client, in_kyiv)

    event = events[f"task-{timed.pk}@bakhmach"]
    assert event["dtstart"].params["TZID"] == "Europe/Kyiv"
    assert event["dtstart"].dt == dt.datetime(2026, 12, 10, 9, 0, tzinfo=KYIV)
    assert event["dtend"].dt - event["dtstart"].dt == dt.timedelta(minutes=30)
    assert "transp" not in event  # a time block makes the time busy
    assert events[f"task-{all_day.pk}@bakhmach"]["dtstart"].params["VALUE"] == "DATE"


def test_scheduling_on_the_page_sets_the_time_and_the_length(web_client, client, in_kyiv):
    task = TaskFactory(user=in_kyiv, title="Write the report")

    response = set_time(web_client, task, start="14:30", minutes="90")

    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?date=2026-12-10"
    task.refresh_from_db()
    assert (task.due_date, task.due_time) == (DAY, dt.time(14, 30))
    assert TimeBlock.objects.get(task=task).minutes == 90
    event = feed_events(client, in_kyiv)[f"task-{task.pk}@bakhmach"]
    assert event["dtstart"].dt == dt.datetime(2026, 12, 10, 14, 30, tzinfo=KYIV)
    assert event["dtend"].dt == dt.datetime(2026, 12, 10, 16, 0, tzinfo=KYIV)

    page = web_client.get(PAGE, {"date": "2026-12-10"}).content.decode()
    assert "14:30\u201316:00" in page


def test_clearing_the_time_leaves_the_task_due_all_day(web_client, in_kyiv):
    task = TaskFactory(user=in_kyiv, due_date=DAY)
    set_time(web_client, task)

    set_time(web_client, task, clear="1")

    task.refresh_from_db()
    assert (task.due_date, task.due_time) == (DAY, None)
    assert not TimeBlock.objects.filter(task=task).exists()


def test_bad_input_is_a_form_error_that_keeps_what_was_typed(web_client, user):
    task = TaskFactory(user=user, due_date=DAY)

    response = set_time(web_client, task, start="25:99", minutes="7")

    assert response.status_code == 422
    text = response.content.decode()
    assert "Enter a valid time." in text
    assert 'value="25:99"' in text
    task.refresh_from_db()
    assert task.due_time is None


def test_another_users_task_cannot_be_scheduled(web_client, other_user):
    theirs = TaskFactory(user=other_user)
    response = set_time(web_client, theirs)
    assert response.status_code == 404
    assert NOT_FOUND_TEXT.encode() in response.content
    assert Task.objects.get(pk=theirs.pk).due_date is None


def test_the_page_lists_the_days_blocks_and_what_could_go_in(web_client, user, other_user):
    TaskFactory(user=user, title="Standup", due_date=DAY, due_time=dt.time(9, 0))
    TaskFactory(user=user, title="Any time today", due_date=DAY)
    TaskFactory(user=user, title="Someday")
    TaskFactory(user=other_user, title="Not mine", due_date=DAY)

    text = web_client.get(PAGE, {"date": "2026-12-10"}).content.decode()

    assert text.index("Standup") < text.index("Any time today") < text.index("Someday")
    assert "09:00\u201309:30" in text
    assert "Not mine" not in text
    assert web_client.get(PAGE, {"date": "not-a-date"}).status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_the_page_costs_the_same_queries_for_5_or_50_tasks(web_client, user, count):
    for n in range(count):
        task = TaskFactory(user=user, due_date=DAY, due_time=dt.time(8 + n % 10, 0))
        TimeBlock.objects.create(task=task, user=user, minutes=45)
    TaskFactory.create_batch(count, user=user)
    overhead = request_overhead(web_client)

    with CaptureQueriesContext(connection) as captured:
        response = web_client.get(PAGE, {"date": "2026-12-10"})

    assert response.status_code == 200
    # The day's tasks with their blocks; the undated ones.
    assert len(captured) == overhead + 2
