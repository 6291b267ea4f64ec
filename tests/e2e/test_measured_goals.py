"""Measured goals and shared plans in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from goals.models import Goal
from plans.models import Plan
from tasks.models import Task

from .test_flows import log_in

pytestmark = pytest.mark.browser


def check_in(page, value, note):
    page.get_by_label("Current value (km)").fill(str(value))
    page.get_by_label("What changed?").fill(note)
    page.get_by_role("button", name="Check in").click()


def expect_progress(page, percent, points):
    panel = page.locator("#goal-progress")
    expect(panel.locator("#goal-progress-value")).to_have_text(f"{percent}%")
    expect(panel.locator("progress").first).to_have_attribute("value", str(percent))
    expect(panel.locator("circle.chart-point")).to_have_count(points)
    expect(panel.locator("circle.chart-point").last.locator("title")).to_contain_text(f"{percent}%")


def test_a_metric_goal_checked_in_twice_then_edited(new_page, screenshot):
    user = UserFactory()
    page = new_page()
    log_in(page, user)
    page.goto("/goals/new")
    page.get_by_label("Title").fill("Run 20 km without a break")
    page.get_by_label("Domain").select_option("health")
    page.get_by_label("A metric").check()
    page.get_by_label("Unit").fill("km")
    page.get_by_label("Start value").fill("0")
    page.get_by_label("Target value").fill("20")
    page.get_by_role("button", name="Create goal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Run 20 km without a break")
    expect(page.locator("#goal-progress-basis")).to_contain_text("0 km on the way from 0 km")

    check_in(page, 5, "First long run")
    expect_progress(page, 25, 1)
    check_in(page, 10, "Ten, finally")
    expect_progress(page, 50, 2)
    expect(page.locator(".check-ins")).to_contain_text("10 km")
    screenshot(page, "goal-metric-two-check-ins")

    page.get_by_role("link", name=re.compile(r"^Edit the check-in of")).first.click()
    page.get_by_label("Current value (km)").fill("15")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Run 20 km without a break")
    expect_progress(page, 75, 2)
    expect(page.locator(".check-ins")).to_contain_text("15 km")
    goal = Goal.objects.get(user=user)
    assert (goal.progress, str(goal.current_value)) == (75, "15.00")
    screenshot(page, "goal-metric-edited")


def test_a_shared_plan_opens_read_only_in_a_fresh_browser(new_page):
    user = UserFactory()
    plan = Plan.objects.create(user=user, title="Growth plan")
    goal = Goal.objects.create(user=user, plan=plan, title="Give a conference talk", progress=40)
    Task.objects.create(user=user, goal=goal, title="Write the abstract")
    Task.objects.create(user=user, goal=goal, title="Negotiate the raise", private=True)
    owner = new_page()
    log_in(owner, user)
    owner.goto(plan.get_absolute_url())
    owner.get_by_role("button", name="Create a share link").click()
    link = owner.get_by_label("Share link").input_value()

    mentor = new_page()  # a fresh context: no session, no cookies
    mentor.goto(link)
    expect(mentor.get_by_role("heading", level=1)).to_have_text("Growth plan")
    expect(mentor.get_by_text("Give a conference talk")).to_be_visible()
    expect(mentor.get_by_text("Write the abstract")).to_be_visible()
    expect(mentor.get_by_text("Negotiate the raise")).to_have_count(0)
    expect(mentor.locator("main form")).to_have_count(0)
    expect(mentor.get_by_role("link", name="Edit")).to_have_count(0)
    expect(mentor.locator('meta[name="robots"]')).to_have_attribute("content", "noindex, nofollow")

    owner.get_by_role("button", name="Revoke the link").click()
    expect(owner.get_by_role("button", name="Create a share link")).to_be_visible()
    gone = new_page().goto(link)
    assert gone.status == 404
