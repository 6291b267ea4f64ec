"""The analytics page and the summary the dashboard includes."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from accounts.calendar import UserCalendar
from analytics.selectors import dashboard_lists, get_goal_tracking, get_summary
from goals.factories import GoalFactory, ProgressEntryFactory
from lib import user_version
from tasks.factories import TaskFactory
from tasks.models import Task

from .clock import at, on, set_calendar

URL = "/analytics/"


@pytest.fixture
def some_work(user, other_user):
    goal = GoalFactory(
        user=user, title="Run <5k> & more", created_at=at(1), target_date=on(21), progress=40
    )
    ProgressEntryFactory(goal=goal, value=20, created_at=at(2))
    ProgressEntryFactory(goal=goal, value=40, created_at=at(8))
    GoalFactory(user=user, title="Read more", domain="learning")
    TaskFactory(user=user, priority=1, due_date=on(11), completed_at=at(11, 9))
    TaskFactory(user=user, due_date=on(9))
    GoalFactory(user=other_user, title="Somebody else's goal")


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_page_shows_the_figures_charts_and_their_tables(web_client, some_work):
    response = web_client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    charts = re.findall(r'<svg [^>]*role="img"[^>]*>', page)
    # progress, completions per day, score per day, life balance, goals by domain
    assert len(charts) == 5
    for title in [
        "Progress over time",
        "Tasks completed per day",
        "Productivity score, day by day",
        "Life balance",
    ]:
        assert f">{title}</title>" in page
    assert "Goals by domain" in page
    assert "Run &lt;5k&gt; &amp; more" in page  # escaped, in the chart and the table
    assert "Run <5k>" not in page
    assert "Somebody else" not in page
    assert "6 - priority points" in page  # the formula
    assert "Tasks overdue at the end" in page  # the parts
    assert "Not enough data: log progress at least twice." in page  # "Read more" has no log
    assert '<th scope="row">Learning</th><td>1</td>' in page


def test_page_keeps_to_the_content_security_policy(web_client, some_work):
    page = web_client.get(URL).content.decode()

    assert " style=" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_month_period(web_client, some_work):
    page = web_client.get(URL, {"period": "month"}).content.decode()

    assert "This month" in page
    assert "31 days" not in page  # only days up to today are scored
    assert "1 task completed in 11 days." in page


def test_chosen_range(web_client, some_work):
    page = web_client.get(URL, {"from": "2026-03-09", "to": "2026-03-11"}).content.decode()

    assert "Mar 9, 2026 \u2013 Mar 11, 2026:" in page
    assert "1 task completed in 3 days." in page


def test_htmx_gets_the_productivity_section_only(web_client, some_work):
    response = web_client.get(URL, {"period": "month"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="productivity"')
    assert "<html" not in page
    assert "This month" in page


def test_bad_period_is_a_form_error_over_the_default_week(web_client, some_work):
    response = web_client.get(URL, {"from": "2026-03-12", "to": "2026-03-01"})

    assert response.status_code == 422
    page = response.content.decode()
    assert "“to” may not precede “from”." in page
    assert 'value="2026-03-12"' in page  # what was typed stays
    assert "This week" in page


@pytest.mark.parametrize(
    ("start", "end"), [("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")]
)
def test_dates_beyond_the_computable_years_are_a_form_error(web_client, some_work, start, end):
    response = web_client.get(URL, {"from": start, "to": end})

    assert response.status_code == 422
    page = response.content.decode()
    assert "Choose a date from 1900-01-01 to 9998-12-31." in page
    assert f'value="{start}"' in page


def test_page_costs_the_same_queries_whatever_the_data(web_client, user, some_work):
    web_client.get(URL)  # the first request of a session records it
    user_version.invalidate_user(user.pk)
    with CaptureQueriesContext(connection) as few:
        web_client.get(URL)
    Task.objects.bulk_create(
        Task(user=user, title=f"Task {index}", due_date=on(index % 20 + 1)) for index in range(500)
    )
    goals = GoalFactory.create_batch(20, user=user)
    for goal in goals:
        ProgressEntryFactory(goal=goal, value=10, created_at=at(3))
    user_version.invalidate_user(user.pk)

    with CaptureQueriesContext(connection) as many:
        web_client.get(URL)

    assert len(many) == len(few)


def test_dashboard_summary_partial(user, some_work):
    html = render_to_string("analytics/_summary.html", {"summary": get_summary(user=user)})

    assert "Where you stand" in html
    # Score: 5 earned of 5 + 3 possible points
    assert re.search(r"Productivity score.*?<dd class=\"stat__value\">62</dd>", html, re.S)
    assert re.search(r"Overdue tasks</dt>\s*<dd class=\"stat__value is-overdue\">1</dd>", html)
    assert "/analytics/" in html


def test_the_goal_page_draws_the_steady_path_from_the_start_day_analytics_uses(web_client, user):
    # Created at 23:30 UTC on the 9th: already the 10th in Kyiv, the owner's zone.
    set_calendar(user, timezone="Europe/Kyiv")
    goal = GoalFactory(user=user, created_at=at(9, 23, 30), target_date=on(30), progress=10)
    ProgressEntryFactory(goal=goal, value=10, created_at=at(10))
    (tracking,) = get_goal_tracking(user=user)["goals"]
    assert tracking["start_date"] == on(10)

    page = web_client.get(f"/goals/{goal.pk}/").content.decode()

    assert "The dashed line is the steady path from Mar 10 to Mar 30." in page


def test_the_dashboard_lists_take_the_users_week_and_zone(user):
    set_calendar(user, timezone="Europe/Kyiv", week_start=6)  # this week began on Sunday the 8th
    TaskFactory(user=user, title="Sunday in Kyiv", completed_at=at(7, 22, 30))
    TaskFactory(user=user, title="Saturday in Kyiv", completed_at=at(7, 21, 30))
    TaskFactory(user=user, title="Due Kyiv's today", due_date=on(11))
    TaskFactory(user=user, title="Overdue", due_date=on(10))

    lists = dashboard_lists(user=user, calendar=UserCalendar.of(user))

    assert [task.title for task in lists["done_this_week"]] == ["Sunday in Kyiv"]
    assert [task.title for task in lists["due_today"]] == ["Due Kyiv's today"]
    assert [task.title for task in lists["overdue"]] == ["Overdue"]
