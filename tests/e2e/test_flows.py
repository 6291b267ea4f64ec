"""The main journey in a real browser: with JavaScript (htmx), without it, and on a phone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from goals.models import Goal, ProgressEntry
from plans.models import Plan
from tasks.models import Task

from .conftest import PHONE

pytestmark = pytest.mark.browser

TASKS = ["Read the style guide", "Draft the first chapter", "Book a review session"]

DEVICES = {
    "wide": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}


def sign_up(page, email):
    page.goto("/")
    page.get_by_role("link", name="Start for free").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_label("Password (again)").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    # Every sign-up is confirmed by email, a taken address answered alike (issue 17, #8);
    # meanwhile the password signs the new account in.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def log_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def create_plan_and_goal(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plans").click()
    page.get_by_role("link", name="New plan").click()
    page.get_by_label("Title").fill("Become a published author")
    page.get_by_label("Vision").fill("A finished book on the shelf by next winter.")
    page.get_by_role("button", name="Create plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Become a published author")

    page.get_by_role("link", name="Add a goal").first.click()
    page.get_by_label("Title").fill("Write the manuscript")
    page.get_by_label("Domain").select_option("career")
    page.get_by_role("button", name="Create goal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write the manuscript")


def quick_add(page, title):
    page.get_by_label("New task").fill(title)
    page.get_by_label("New task").press("Enter")
    expect(page.locator("#task-list").get_by_role("link", name=title, exact=True)).to_be_visible()


def tick_done(page, title, *, javascript):
    page.get_by_role("button", name=f"Mark “{title}” as done").click()
    ticked = page.get_by_role("button", name=f"Mark “{title}” as not done")
    expect(ticked).to_have_attribute("aria-pressed", "true")
    if javascript:
        expect(ticked).to_be_focused()  # swapped in place, focus kept


def log_progress(page, value):
    page.get_by_label("Progress (%)").fill(str(value))
    page.get_by_label("What changed?").fill("Two chapters drafted")
    page.get_by_role("button", name="Check in").click()
    expect(page.locator("#goal-progress-value")).to_have_text(f"{value}%")
    expect(page.locator("#goal-progress progress")).to_have_attribute("value", str(value))


def check_dashboard(page):
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    goals = page.get_by_role("region", name="Active goals")
    expect(goals.get_by_role("link", name="Write the manuscript")).to_be_visible()
    expect(goals.locator("progress")).to_have_attribute("value", "40")
    week = page.get_by_role("region", name="Done this week")
    for title in TASKS[:2]:
        expect(week.get_by_role("link", name=title)).to_be_visible()
    expect(week.get_by_role("link", name=TASKS[2])).to_have_count(0)
    this_week = page.locator(".stat", has_text="Tasks this week").locator(".stat__value")
    expect(this_week).to_have_text("2")


def the_journey(page, screenshot, prefix, *, javascript=True):
    sign_up(page, f"{prefix}@example.com")
    screenshot(page, f"{prefix}-01-dashboard-empty")
    create_plan_and_goal(page)
    for title in TASKS:
        quick_add(page, title)
    tick_done(page, TASKS[0], javascript=javascript)
    tick_done(page, TASKS[1], javascript=javascript)
    log_progress(page, 40)
    screenshot(page, f"{prefix}-02-goal")
    check_dashboard(page)
    screenshot(page, f"{prefix}-03-dashboard")

    goal = Goal.objects.get(title="Write the manuscript")
    assert goal.progress == 40
    assert goal.plan.title == "Become a published author"
    tasks = Task.objects.filter(goal=goal)
    assert sorted(tasks.values_list("title", flat=True)) == sorted(TASKS)
    assert tasks.completed().count() == 2


def test_journey_with_htmx(new_page, screenshot):
    page = new_page()
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    the_journey(page, screenshot, "js")
    # htmx did the quick adds, ticks and progress log in place: no page loads for them.
    assert not any("/tasks/quick-add" in url or "/progress" in url for url in navigations)


def test_journey_without_javascript(new_page, screenshot):
    the_journey(new_page(java_script_enabled=False), screenshot, "nojs", javascript=False)


def test_logging_progress_updates_the_goals_status_in_the_header(new_page):
    user = UserFactory()
    goal = Goal.objects.create(user=user, title="Run a half marathon", progress=80)
    page = new_page()
    log_in(page, user)
    page.goto(goal.get_absolute_url())
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    status = page.locator("#goal-status")
    expect(status.locator(".badge", has_text="Active")).to_be_visible()

    page.get_by_label("Progress (%)").fill("100")
    page.get_by_role("button", name="Check in").click()
    expect(
        page.get_by_text("This check-in takes the goal to 100% and completes it.")
    ).to_be_visible()
    expect(status.locator(".badge", has_text="Active")).to_be_visible()  # not before confirming
    page.get_by_role("button", name="Yes, complete the goal").click()
    expect(status.locator(".badge", has_text="Completed")).to_be_visible()
    expect(status.locator("time")).to_have_text(re.compile(r"^[A-Z][a-z]{2} \d{1,2}, \d{4}$"))
    expect(status.get_by_text("Active")).to_have_count(0)

    page.get_by_label("Progress (%)").fill("90")  # not done after all: open again
    page.get_by_role("button", name="Check in").click()
    expect(status.locator(".badge", has_text="Active")).to_be_visible()
    expect(status.get_by_text("Completed")).to_have_count(0)
    assert navigations == []  # all in place, by htmx: no page load


def test_inline_title_edit_and_delete_without_a_confirm(new_page, live_server):
    user = UserFactory()
    Task.objects.create(user=user, title="Buy pens")
    page = new_page()
    log_in(page, user)
    page.goto("/tasks/")
    page.get_by_role("link", name="Rename “Buy pens”").click()
    title = page.get_by_label("Title of the task")
    expect(title).to_be_focused()
    title.fill("Buy fountain pens")
    title.press("Enter")
    expect(page.get_by_role("link", name="Buy fountain pens", exact=True)).to_be_visible()
    assert page.url.endswith("/tasks/")
    # The keyboard user stays where they were: on the row's rename button.
    expect(page.get_by_role("link", name="Rename “Buy fountain pens”")).to_be_focused()

    # Deleting asks nothing; the toast that follows offers Undo.
    page.on("dialog", lambda dialog: pytest.fail(f"a browser dialog opened: {dialog.message}"))
    page.get_by_role("button", name="Delete “Buy fountain pens”").click()
    expect(page.get_by_role("link", name="Buy fountain pens", exact=True)).to_have_count(0)
    expect(page.locator("#toasts")).to_contain_text("Deleted “Buy fountain pens”.")
    assert not Task.objects.filter(user=user).exists()


def test_filters_update_the_list_and_the_address(new_page):
    user = UserFactory()
    Task.objects.create(user=user, title="Call the printer", priority=1)
    Task.objects.create(user=user, title="Water the plants", priority=4)
    page = new_page()
    log_in(page, user)
    page.goto("/tasks/")
    page.get_by_label("Priority").select_option("1")
    expect(page).to_have_url(re.compile(r"priority=1"))
    expect(page.get_by_role("link", name="Water the plants", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Call the printer", exact=True)).to_be_visible()
    page.get_by_label("Search").fill("plants")
    expect(page.get_by_text("No tasks match these filters.")).to_be_visible()

    page.go_back()  # the address holds the filters, so history works
    expect(page).to_have_url(re.compile(r"priority=1"))


def test_ticking_a_task_off_by_touch_on_a_phone(new_page):
    # How the pages look on a phone: test_the_main_pages_are_whole_in_both_themes.
    user = UserFactory(name="Olena")
    goal = Goal.objects.create(user=user, title="Run a half marathon", progress=35)
    Task.objects.create(user=user, goal=goal, title="Easy 5 km run")
    page = new_page(**DEVICES["phone"])
    log_in(page, user)

    page.goto(goal.get_absolute_url())
    page.get_by_role("button", name="Mark “Easy 5 km run” as done").tap()
    expect(page.get_by_role("button", name="Mark “Easy 5 km run” as not done")).to_be_visible()


# What a page must not have, read in the browser: a form control nobody can name, an image
# without a text alternative, anything wider than the window.
PAGE_FAULTS = """() => {
  const faults = [];
  for (const el of document.querySelectorAll(
      "input:not([type=hidden]):not([type=submit]), select, textarea")) {
    const named = el.labels.length || el.getAttribute("aria-label")
      || el.getAttribute("aria-labelledby") || el.getAttribute("title");
    if (!named) faults.push(`unlabelled ${el.tagName.toLowerCase()} ${el.name || el.id}`);
  }
  for (const img of document.querySelectorAll("img:not([alt])")) {
    faults.push(`image without alt ${img.src}`);
  }
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    faults.push(`${root.scrollWidth}px wide in a ${root.clientWidth}px window`);
  }
  return faults;
}"""


def background_is_dark(page):
    red, green, blue = map(
        int, re.findall(r"\d+", page.evaluate("getComputedStyle(document.body).backgroundColor"))
    )
    return (red + green + blue) / 3 < 128


def a_user_with_a_bit_of_everything():
    user = UserFactory(name="Taras")
    plan = Plan.objects.create(user=user, title="Grow into a tech lead", vision="Lead a team.")
    goal = Goal.objects.create(
        user=user,
        plan=plan,
        title="Learn Django",
        domain="learning",
        target_date=timezone.localdate() + timedelta(days=60),
    )
    Goal.objects.create(user=user, plan=plan, title="Mentor two juniors", progress=25)
    for days_ago, value in [(20, 10), (12, 30), (5, 45), (1, 60)]:
        ProgressEntry.objects.create(
            goal=goal, value=value, created_at=timezone.now() - timedelta(days=days_ago)
        )
    Goal.objects.filter(pk=goal.pk).update(progress=60)
    today = timezone.localdate()
    Task.objects.create(
        user=user, goal=goal, title="Read the docs on partials", priority=1, due_date=today
    )
    Task.objects.create(user=user, goal=goal, title="Port the blog", due_date=today - timedelta(3))
    Task.objects.create(user=user, title="Book the venue", completed_at=timezone.now())
    return user, plan, goal


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", DEVICES)
def test_the_main_pages_are_whole_in_both_themes(
    new_page, screenshot, browser_errors, scheme, device
):
    """Every main page loads clean: its heading, labelled controls, the theme, no overflow.

    Each is then saved as a screenshot (test-artifacts/screenshots/) for a reviewer to look at.
    """
    page = new_page(color_scheme=scheme, **DEVICES[device])

    def check(path, name, status=200):
        response = page.goto(path)
        assert response.status == status, path
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert page.evaluate(PAGE_FAULTS) == [], path
        assert background_is_dark(page) == (scheme == "dark"), path
        assert browser_errors == [], path  # a blocked script or style, a missing file
        screenshot(page, f"{name}-{scheme}-{device}")

    for path, name in [
        ("/", "landing"),
        ("/accounts/login/", "login"),
        ("/accounts/signup/", "signup"),
        ("/accounts/password/reset/", "password-reset"),
    ]:
        check(path, name)
    check("/no-such-page", "404", status=404)

    user, plan, goal = a_user_with_a_bit_of_everything()
    log_in(page, user)
    for path, name in [
        ("/dashboard", "dashboard"),
        ("/tasks/", "tasks"),
        ("/plans/", "plans"),
        (plan.get_absolute_url(), "plan"),
        ("/goals/", "goals"),
        (goal.get_absolute_url(), "goal"),
        ("/plans/new", "plan-form"),
        ("/analytics/", "analytics"),
        ("/reports/", "reports"),
        ("/settings/", "settings"),
        ("/accounts/password/change/", "password-change"),
        ("/accounts/email/", "email"),
        ("/accounts/2fa/", "two-factor"),
        ("/accounts/sessions/", "sessions"),
        ("/accounts/3rdparty/", "connections"),
    ]:
        check(path, name)


def test_a_failed_htmx_request_is_reported(new_page, browser_errors):
    user = UserFactory()
    task = Task.objects.create(user=user, title="Gone elsewhere")
    page = new_page()
    log_in(page, user)
    page.goto("/tasks/")
    task.delete()  # deleted in another tab, say
    page.get_by_role("button", name="Mark “Gone elsewhere” as done").click()
    expect(page.get_by_role("alert")).to_have_text(re.compile("no longer exists"))
    assert len(browser_errors) == 1
    assert "Response Status Error Code 404" in browser_errors.pop()  # htmx logs it too
