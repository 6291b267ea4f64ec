"""One "today" for a user, on every surface: a user in Kyiv at 00:30 is already on the next day.

At 22:30 UTC on 15 January it is 00:30 on the 16th in Kyiv (UTC+2), while the server's clock
(UTC) still says the 15th. Every page, API answer, document and count must say the 16th: a task
due on the 15th is overdue, one due on the 16th is due today and not overdue.
"""

import datetime

import pytest
from django.urls import reverse

from accounts.calendar import UserCalendar
from goals.factories import GoalFactory
from plans.factories import PlanFactory
from reports import services as report_services
from reports.models import Status
from tasks.factories import TaskFactory
from tests.reports.test_pdf import page_texts, read_pdf

pytestmark = pytest.mark.django_db

KYIV_HALF_PAST_MIDNIGHT = datetime.datetime(2026, 1, 15, 22, 30, tzinfo=datetime.UTC)
KYIV_TODAY = datetime.date(2026, 1, 16)
YESTERDAY = datetime.date(2026, 1, 15)  # the server's (UTC) date


@pytest.fixture
def kyiv_user(user, time_machine):
    time_machine.move_to(KYIV_HALF_PAST_MIDNIGHT, tick=False)
    user.settings.timezone = "Europe/Kyiv"
    user.settings.save()
    plan = PlanFactory(user=user, title="Kyiv plan")
    goal = GoalFactory(user=user, plan=plan, title="Kyiv goal")
    TaskFactory(user=user, goal=goal, title="Due yesterday", due_date=YESTERDAY)
    TaskFactory(user=user, goal=goal, title="Due today", due_date=KYIV_TODAY)
    return user


def test_the_calendar_says_the_kyiv_date_not_the_servers(kyiv_user):
    assert UserCalendar.of(kyiv_user).today == KYIV_TODAY


def test_the_dashboard_lists_today_and_overdue_by_the_kyiv_date(kyiv_user, web_client):
    context = web_client.get(reverse("dashboard")).context

    assert context["today"] == KYIV_TODAY
    assert [task.title for task in context["due_today"]] == ["Due today"]
    assert [task.title for task in context["overdue"]] == ["Due yesterday"]


def test_the_task_list_and_the_goal_page_mark_only_yesterdays_task_overdue(kyiv_user, web_client):
    goal = kyiv_user.goals.get()
    for url in (reverse("tasks:list"), goal.get_absolute_url()):
        html = web_client.get(url).content.decode()
        assert html.count('class="is-overdue"') == 1, url
        assert "Overdue · due Jan 15" in html, url


def test_the_analytics_page_counts_one_overdue_task(kyiv_user, web_client):
    context = web_client.get(reverse("analytics:index")).context

    assert context["summary"]["as_of"] == KYIV_TODAY
    assert context["summary"]["tasks"]["overdue"] == 1


def test_the_api_answers_by_the_kyiv_date(kyiv_user, api_client):
    summary = api_client.get("/api/analytics/summary").json()
    overdue = api_client.get("/api/tasks?overdue=true").json()["results"]
    not_overdue = api_client.get("/api/tasks?overdue=false").json()["results"]

    assert summary["as_of"] == KYIV_TODAY.isoformat()
    assert summary["tasks"]["overdue"] == 1
    assert [task["title"] for task in overdue] == ["Due yesterday"]
    assert [task["title"] for task in not_overdue] == ["Due today"]


def test_the_pdf_report_marks_only_yesterdays_task_overdue(kyiv_user, run_jobs):
    with run_jobs():
        job = report_services.request_plan_report(user=kyiv_user, plan=kyiv_user.plans.get())
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    text = "\n".join(page_texts(read_pdf(job)))

    assert "Jan 15, 2026 · overdue" in text
    assert "Jan 16, 2026 · overdue" not in text
    assert "Jan 16, 2026" in text
