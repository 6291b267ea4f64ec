"""The project-level pages: landing, dashboard, error pages."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.calendar import UserCalendar
from analytics.selectors import get_summary
from goals.factories import GoalFactory
from goals.models import Status
from lib.user_version import invalidate_user
from tasks.factories import TaskFactory
from tests.web import NOT_FOUND_TEXT, request_overhead

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 11, 12, 0, tzinfo=datetime.UTC)  # a Wednesday
TODAY = NOW.date()


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def test_landing_page_for_visitors(client):
    response = client.get(reverse("landing"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("account_signup")}"' in html
    assert f'href="{reverse("account_login")}"' in html


def test_landing_sends_signed_in_people_to_their_dashboard(web_client):
    response = web_client.get(reverse("landing"))
    assert response.url == reverse("dashboard")


def test_pages_keep_to_the_csp_without_inline_scripts_or_styles(client):
    response = client.get(reverse("landing"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self';" in policy
    assert "unsafe" not in policy
    html = response.content.decode()
    assert "<script>" not in html
    assert "style=" not in html
    assert '<meta name="htmx-config"' in html


@pytest.mark.parametrize(
    "name", ["dashboard", "tasks:list", "goals:list", "analytics:index", "accounts:settings"]
)
def test_no_page_repeats_an_id(web_client, user, name):
    """A repeated id breaks the label pointing at it (quick add and filters both had a goal)."""
    TaskFactory(user=user, goal=GoalFactory(user=user), due_date=TODAY)
    html = web_client.get(reverse(name)).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert ids
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_dashboard_needs_login(client):
    response = client.get(reverse("dashboard"))
    assert response.url.startswith(reverse("account_login"))


def test_dashboard_shows_today_overdue_goals_and_this_weeks_completions(web_client, user, now):
    TaskFactory(user=user, title="Due today", due_date=TODAY)
    TaskFactory(user=user, title="Late one", due_date=TODAY - datetime.timedelta(days=2))
    TaskFactory(user=user, title="Next month", due_date=TODAY + datetime.timedelta(days=30))
    TaskFactory(user=user, title="Done Monday", completed_at=now - datetime.timedelta(days=2))
    TaskFactory(user=user, title="Done last week", completed_at=now - datetime.timedelta(days=8))
    GoalFactory(user=user, title="Active goal", progress=70)
    GoalFactory(
        user=user, title="Finished goal", status=Status.COMPLETED, progress=100, completed_at=now
    )
    response = web_client.get(reverse("dashboard"))
    assert response.status_code == 200
    context = response.context
    assert [task.title for task in context["due_today"]] == ["Due today"]
    assert [task.title for task in context["overdue"]] == ["Late one"]
    assert [goal.title for goal in context["goals"]] == ["Active goal"]
    assert [task.title for task in context["done_this_week"]] == ["Done Monday"]
    html = response.content.decode()
    assert "Next month" not in html
    assert '<progress max="100" value="70"' in html
    assert "Where you stand" in html  # the analytics summary


def test_the_week_starts_on_the_users_day(web_client, user, now):
    user.settings.week_start = 6  # Sunday
    user.settings.save()
    # Sunday the 8th is in this week for this user (it would not be if weeks began on Monday).
    TaskFactory(user=user, title="Done Sunday", completed_at=now - datetime.timedelta(days=3))
    response = web_client.get(reverse("dashboard"))
    assert [task.title for task in response.context["done_this_week"]] == ["Done Sunday"]


def test_dashboard_empty_states(web_client):
    html = web_client.get(reverse("dashboard")).content.decode()
    # The empty goals box's words and its button say the same thing.
    assert "No goals yet." in html
    assert f'<a class="button" href="{reverse("goals:create")}">Create a goal</a>' in html
    assert "Nothing due today." in html
    assert "Nothing finished yet this week" in html


def test_dashboard_with_only_overdue_tasks_says_nothing_else_is_due_today(web_client, user, now):
    TaskFactory(user=user, title="Late", due_date=TODAY - datetime.timedelta(days=2))
    html = web_client.get(reverse("dashboard")).content.decode()
    assert "Late" in html
    assert "Nothing else due today." in html  # not a "Due today" heading over nothing


@pytest.mark.parametrize("rows", [1, 15])
def test_dashboard_costs_the_same_queries_for_any_number_of_rows(
    web_client, user, now, rows, django_assert_num_queries
):
    goal = GoalFactory(user=user)
    GoalFactory.create_batch(rows, user=user)
    TaskFactory.create_batch(rows, user=user, goal=goal, due_date=TODAY)
    TaskFactory.create_batch(rows, user=user, goal=goal, due_date=TODAY - datetime.timedelta(1))
    TaskFactory.create_batch(rows, user=user, goal=goal, completed_at=now)
    overhead = request_overhead(web_client)
    web_client.get(reverse("dashboard"))  # fills the analytics summary cache and the page's
    invalidate_user(user.pk)  # the page again, as after a write
    get_summary(user=user, calendar=UserCalendar.of(user))  # the summary again, not the page
    # The user and their settings (their cached copy went with the version), overdue tasks,
    # today's tasks, active goals, this week's completions, the labels and the reminders of
    # each of the three task lists; the goals of the quick add.
    with django_assert_num_queries(overhead + 13):
        web_client.get(reverse("dashboard"))
    # Then the page's cached fragment answers: nothing beyond what every page costs.
    with django_assert_num_queries(overhead):
        web_client.get(reverse("dashboard"))


def test_unknown_address_gets_the_custom_404_page(web_client):
    response = web_client.get("/no/such/page")
    assert response.status_code == 404
    html = response.content.decode()
    assert NOT_FOUND_TEXT in html
    assert 'class="skip-link"' in html


def test_500_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert f'href="{reverse("landing")}"' in html


def test_dashboard_dates_follow_the_users_time_zone(web_client, user, time_machine):
    # 23:30 UTC on the 10th is already the 11th in Kyiv.
    time_machine.move_to(datetime.datetime(2026, 3, 10, 23, 30, tzinfo=datetime.UTC), tick=False)
    user.settings.timezone = "Europe/Kyiv"
    user.settings.save()
    TaskFactory(user=user, title="Kyiv today", due_date=datetime.date(2026, 3, 11))
    response = web_client.get(reverse("dashboard"))
    assert [task.title for task in response.context["due_today"]] == ["Kyiv today"]
    assert timezone.now().date() == datetime.date(2026, 3, 10)
