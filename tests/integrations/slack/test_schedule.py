"""The daily plan and weekly review fall due at each user's local time, and go out once.

Beat's task (`schedule_deliveries`) runs at frozen moments; what it enqueues runs eagerly and
posts to the fake Slack over HTTP.
"""

import datetime
import threading

import pytest
import time_machine
from django.db import IntegrityError, connection

from accounts.calendar import UserCalendar
from analytics.selectors import get_productivity
from goals.factories import GoalFactory, ProgressEntryFactory
from goals.services import log_progress
from integrations.slack import services
from integrations.slack.models import Delivery
from integrations.slack.tasks import schedule_deliveries
from tasks.factories import TaskFactory
from tasks.services import complete_task

from .conftest import KYIV, NEW_YORK, connect, user_in, utc

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

WEDNESDAY = datetime.date(2026, 12, 2)
YEAR_END = datetime.date(2026, 12, 31)


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """`tick(moment)`: one run of beat's schedule at `moment`, and what it enqueued."""

    def run(moment):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            schedule_deliveries.delay()

    return run


@pytest.fixture
def kyiv_and_new_york(slack, olena, mike):
    kyiv = user_in("Europe/Kyiv", "kyiv@example.com")
    new_york = user_in("America/New_York", "ny@example.com")
    connect(slack, kyiv, olena)
    connect(slack, new_york, mike)
    TaskFactory(user=kyiv, title="Kyiv standup notes", due_date=WEDNESDAY)
    TaskFactory(user=new_york, title="New York budget", due_date=WEDNESDAY)
    return kyiv, new_york


def _texts(messages):
    return [
        "\n".join((block.get("text") or {}).get("text", "") for block in message["blocks"])
        for message in messages
    ]


def test_the_daily_plan_goes_out_at_eight_in_each_users_zone_once(
    slack, olena, mike, kyiv_and_new_york, tick
):
    kyiv_eight = datetime.datetime.combine(WEDNESDAY, datetime.time(8), tzinfo=KYIV)
    new_york_eight = datetime.datetime.combine(WEDNESDAY, datetime.time(8), tzinfo=NEW_YORK)
    assert kyiv_eight == utc(2026, 12, 2, 6, 0)
    assert new_york_eight == utc(2026, 12, 2, 13, 0)

    tick(kyiv_eight - datetime.timedelta(minutes=1))
    assert slack.messages == []

    tick(kyiv_eight)
    tick(kyiv_eight + datetime.timedelta(seconds=30))  # a second beat process, same minute
    tick(kyiv_eight + datetime.timedelta(minutes=1))
    (kyiv_plan,) = slack.messages
    assert kyiv_plan["channel"] == slack.dm_of(olena)
    assert "Kyiv standup notes" in _texts([kyiv_plan])[0]
    assert "New York budget" not in _texts([kyiv_plan])[0]

    tick(new_york_eight - datetime.timedelta(minutes=1))
    assert len(slack.messages) == 1
    tick(new_york_eight)
    tick(new_york_eight + datetime.timedelta(minutes=5))
    assert len(slack.messages) == 2
    new_york_plan = slack.messages[1]
    assert new_york_plan["channel"] == slack.dm_of(mike)
    assert "New York budget" in _texts([new_york_plan])[0]
    assert "Wednesday, Dec 2" in new_york_plan["text"]

    tick(kyiv_eight + datetime.timedelta(days=1))  # Thursday's, for Kyiv only
    assert [message["channel"] for message in slack.messages] == [
        slack.dm_of(olena),
        slack.dm_of(mike),
        slack.dm_of(olena),
    ]
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 3


def test_the_daily_plan_honours_the_chosen_time_channel_and_switch(
    slack, olena, mike, kyiv_and_new_york, tick
):
    kyiv, new_york = kyiv_and_new_york
    services.update_preferences(
        link=kyiv.slack_link, daily_plan_time=datetime.time(6, 45), channel_id="C0GENERAL1"
    )
    services.update_preferences(link=new_york.slack_link, daily_plan=False)

    tick(datetime.datetime.combine(WEDNESDAY, datetime.time(6, 45), tzinfo=KYIV))
    tick(datetime.datetime.combine(WEDNESDAY, datetime.time(8), tzinfo=NEW_YORK))

    (plan,) = slack.messages
    assert plan["channel"] == "C0GENERAL1"


def test_a_plan_missed_by_a_beat_outage_goes_out_late_within_the_hour_only(
    slack, olena, kyiv_and_new_york, tick
):
    eight = datetime.datetime.combine(WEDNESDAY, datetime.time(8), tzinfo=KYIV)

    tick(eight + datetime.timedelta(minutes=59))
    tick(eight + datetime.timedelta(days=1, minutes=61))

    assert len(slack.messages_to(slack.dm_of(olena))) == 1


def test_the_plan_lists_overdue_tasks_with_done_buttons(slack, olena, kyiv_and_new_york, tick):
    kyiv, _ = kyiv_and_new_york
    late = TaskFactory(user=kyiv, title="Renew the passport", due_date=WEDNESDAY.replace(day=1))
    TaskFactory(user=kyiv, title="Already done", due_date=WEDNESDAY, completed_at=utc(2026, 12, 1))

    tick(datetime.datetime.combine(WEDNESDAY, datetime.time(8), tzinfo=KYIV))

    (plan,) = slack.messages
    text = _texts([plan])[0]
    assert text.index("Overdue") < text.index("Renew the passport") < text.index("Due today")
    assert "Already done" not in text
    buttons = {block["accessory"]["value"] for block in plan["blocks"] if "accessory" in block}
    assert str(late.pk) in buttons


def test_a_delivery_exists_once_per_user_and_period(user):
    Delivery.objects.create(user=user, kind=Delivery.Kind.DAILY_PLAN, key="2026-12-02")

    with pytest.raises(IntegrityError):
        Delivery.objects.create(user=user, kind=Delivery.Kind.DAILY_PLAN, key="2026-12-02")


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_the_same_moment_create_one_delivery(slack, olena):
    kyiv = user_in("Europe/Kyiv", "kyiv@example.com")
    connect(slack, kyiv, olena)
    moment = utc(2026, 12, 2, 6, 0)
    start = threading.Barrier(2)
    created = []

    def beat():
        try:
            start.wait()
            created.extend(services.schedule_due(now=moment))
        finally:
            connection.close()

    beats = [threading.Thread(target=beat) for _ in range(2)]
    for thread in beats:
        thread.start()
    for thread in beats:
        thread.join()

    assert len(created) == 1
    assert Delivery.objects.filter(kind=Delivery.Kind.DAILY_PLAN).count() == 1


# --- The weekly review -------------------------------------------------------------------------


@pytest.fixture
def busy_week(slack, olena):
    """A Kyiv user's week, Monday 30 November to Sunday 6 December 2026."""
    user = user_in("Europe/Kyiv", "kyiv@example.com")
    connect(slack, user, olena)
    on_time = TaskFactory(user=user, title="Ship the draft", priority=3, due_date=WEDNESDAY)
    complete_task(task=on_time, now=utc(2026, 12, 1, 10))
    late = TaskFactory(user=user, title="Pay the rent", priority=3, due_date=WEDNESDAY)
    complete_task(task=late, now=utc(2026, 12, 3, 10))
    TaskFactory(user=user, title="Fix the bike", priority=3, due_date=datetime.date(2026, 12, 4))
    TaskFactory(user=user, title="Next week's thing", due_date=datetime.date(2026, 12, 9))
    TaskFactory(user=user, title="Due on Sunday", due_date=datetime.date(2026, 12, 6))
    moved = GoalFactory(user=user, title="Run a marathon", progress=60)
    ProgressEntryFactory(goal=moved, value=20, created_at=utc(2026, 11, 25, 9))
    ProgressEntryFactory(goal=moved, value=45, created_at=utc(2026, 12, 1, 9))
    ProgressEntryFactory(goal=moved, value=60, created_at=utc(2026, 12, 5, 9))
    still = GoalFactory(user=user, title="Learn Spanish", progress=30)
    ProgressEntryFactory(goal=still, value=30, created_at=utc(2026, 11, 20, 9))
    return user


def test_the_weekly_review_goes_out_at_the_weeks_end_with_score_goals_and_slips(
    slack, olena, busy_week, tick
):
    sunday_five = datetime.datetime.combine(
        datetime.date(2026, 12, 6), datetime.time(17), tzinfo=KYIV
    )

    tick(sunday_five - datetime.timedelta(days=1))  # Saturday: not the week's end
    assert slack.messages == []
    tick(sunday_five)
    tick(sunday_five + datetime.timedelta(minutes=3))

    (review,) = slack.messages
    text = (
        _texts([review])[0]
        + "\n"
        + "\n".join(
            element["text"] for block in review["blocks"] for element in block.get("elements", [])
        )
    )
    with time_machine.travel(sunday_five, tick=False):
        figure = get_productivity(
            user=busy_week,
            start=datetime.date(2026, 11, 30),
            end=datetime.date(2026, 12, 6),
            calendar=UserCalendar.of(busy_week),
            use_cache=False,
        )
    # Points: 3 on time, 3 late (earning half), 3 still overdue: 4.5 of 9.
    assert figure["score"] == 50
    assert "Your week, Nov 30 to Dec 6" in text
    assert "*Productivity score:* 50" in text
    assert "1 done on time · 1 done late · 1 overdue · 4.5 of 9 points" in text
    assert "Run a marathon: 20% → 60% (+40)" in text
    assert "Learn Spanish" not in text
    assert "Fix the bike (due Fri Dec 4, still open)" in text
    assert "Pay the rent (due Wed Dec 2, done late)" in text
    assert "Ship the draft" not in text
    assert "Next week's thing" not in text
    assert "Due on Sunday" not in text  # due today, not slipped yet


def test_a_week_starting_on_sunday_is_reviewed_on_saturday(slack, olena, tick):
    user = user_in("America/New_York", "ny@example.com", week_start=6)
    connect(slack, user, olena)
    saturday_five = datetime.datetime.combine(
        datetime.date(2026, 12, 5), datetime.time(17), tzinfo=NEW_YORK
    )

    tick(saturday_five)

    (review,) = slack.messages
    assert "Your week Nov 29 to Dec 5" in review["text"]
    assert Delivery.objects.get().key == "2026-11-29"


def test_a_quiet_week_says_so(slack, olena, tick):
    user = user_in("Europe/Kyiv", "kyiv@example.com")
    connect(slack, user, olena)

    tick(datetime.datetime.combine(datetime.date(2026, 12, 6), datetime.time(17), tzinfo=KYIV))

    text = _texts(slack.messages)[0]
    assert "no score (nothing done, nothing overdue)" in text
    assert "No goal moved this week." in text
    assert "every task due this week was done on time" in text


# --- Goal news ---------------------------------------------------------------------------------


def test_a_completed_goal_is_announced_once(slack, olena, tick):
    user = user_in("Europe/Kyiv", "kyiv@example.com")
    with time_machine.travel(utc(2026, 12, 2, 9), tick=False):
        connect(slack, user, olena)
    goal = GoalFactory(user=user, title="Learn Spanish", progress=90)
    with time_machine.travel(utc(2026, 12, 2, 10), tick=False):
        log_progress(goal=goal, value=100)

    tick(utc(2026, 12, 2, 10, 1))
    tick(utc(2026, 12, 2, 10, 2))

    (news,) = [m for m in slack.messages if "Goal completed" in m["text"]]
    assert "Learn Spanish" in news["text"]


def test_a_goal_falling_behind_is_announced_once_a_week(slack, olena, tick):
    user = user_in("Europe/Kyiv", "kyiv@example.com")
    connect(slack, user, olena)
    services.update_preferences(link=user.slack_link, daily_plan=False)
    with time_machine.travel(utc(2026, 11, 2, 9), tick=False):
        GoalFactory(
            user=user, title="Write a book", progress=10, target_date=datetime.date(2026, 12, 31)
        )
        GoalFactory(
            user=user, title="On schedule", progress=90, target_date=datetime.date(2026, 12, 31)
        )

    for day in (2, 3):
        tick(datetime.datetime.combine(datetime.date(2026, 12, day), datetime.time(8), tzinfo=KYIV))

    (news,) = slack.messages
    assert "Write a book is falling behind" in news["text"]
    assert "10% done" in _texts([news])[0]


# --- Task reminders ----------------------------------------------------------------------------


def test_the_afternoon_reminder_lists_what_is_still_open_today(slack, olena, tick):
    user = user_in("Europe/Kyiv", "kyiv@example.com")
    connect(slack, user, olena)
    services.update_preferences(link=user.slack_link, daily_plan=False, weekly_review=False)
    open_task = TaskFactory(user=user, title="Call the plumber", due_date=WEDNESDAY)
    TaskFactory(user=user, title="Done already", due_date=WEDNESDAY, completed_at=utc(2026, 12, 2))
    four = datetime.datetime.combine(WEDNESDAY, datetime.time(16), tzinfo=KYIV)

    tick(four)
    tick(four + datetime.timedelta(minutes=10))

    (reminder,) = slack.messages
    assert reminder["text"] == "Still open today: Call the plumber"
    assert [block.get("accessory", {}).get("value") for block in reminder["blocks"]][1:] == [
        str(open_task.pk)
    ]


def test_no_reminder_is_sent_when_everything_due_is_done(slack, olena, tick):
    user = user_in("Europe/Kyiv", "kyiv@example.com")
    connect(slack, user, olena)
    TaskFactory(user=user, title="Done already", due_date=WEDNESDAY, completed_at=utc(2026, 12, 2))

    tick(datetime.datetime.combine(WEDNESDAY, datetime.time(16), tzinfo=KYIV))

    assert slack.messages == []
    assert Delivery.objects.get(kind=Delivery.Kind.TASK_REMINDER).status == Delivery.Status.SKIPPED
