"""A 360 px phone in English and Ukrainian, in both themes: nothing wider than the window, no chart
text cut off by its SVG, no English left on a Ukrainian page, a compact header; a QR code on a light
quiet zone; and a new account's first run."""
# ruff: noqa: RUF001

import io
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.factories import DEFAULT_PASSWORD, UserFactory
from accounts.services import settings_for, update_settings
from goals.models import Goal, ProgressEntry
from plans.models import Plan
from reports.models import Format, Kind, ReportJob
from tasks.models import Task
from tasks.services import complete_task
from tests.i18n.pages import assert_no_untranslated

pytestmark = pytest.mark.browser

PHONE_360 = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
# The header a phone shows above the page; measured before this change at ~270 px with the
# two-row nav (issue 16), now one row with the nav in a bar at the bottom of the screen.
HEADER_MAX_PX = 64

# What a phone page must not have: anything wider than the window; text or bars of an SVG chart
# outside the chart's own box (the browser clips them: a lost label, a cut bar).
LAYOUT_FAULTS = """() => {
  const faults = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) {
    faults.push(`page ${root.scrollWidth}px wide in a ${window.innerWidth}px window`);
  }
  const inSvg = (el, svg) => {  // the element's box in the svg's own (viewBox) coordinates
    const b = el.getBBox();
    const m = svg.getScreenCTM().inverse().multiply(el.getScreenCTM());
    const corners = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height],
                     [b.x + b.width, b.y + b.height]]
      .map(([x, y]) => new DOMPoint(x, y).matrixTransform(m));
    const xs = corners.map((p) => p.x), ys = corners.map((p) => p.y);
    return {x: Math.min(...xs), y: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys),
            empty: !b.width && !b.height};
  };
  for (const svg of document.querySelectorAll("main svg")) {
    const shown = svg.getBoundingClientRect();
    if (!shown.width) continue;  // in a closed <details>
    const name = svg.id || svg.getAttribute("aria-labelledby") || "svg";
    const vb = svg.viewBox.baseVal && svg.viewBox.baseVal.width
      ? svg.viewBox.baseVal
      : {x: 0, y: 0, width: svg.width.baseVal.value, height: svg.height.baseVal.value};
    let rightmost = null;
    for (const el of svg.querySelectorAll("text, rect, line, circle, polyline, polygon, path")) {
      if (el.closest("defs, clipPath, mask, symbol")) continue;
      const b = inSvg(el, svg);
      if (b.empty) continue;
      const slack = 0.5;
      if (b.x < vb.x - slack || b.y < vb.y - slack || b.right > vb.x + vb.width + slack
          || b.bottom > vb.y + vb.height + slack) {
        const what = el.tagName === "text" ? `“${el.textContent.trim()}”` : el.tagName;
        faults.push(`${name}: ${what} at ${b.x.toFixed(1)},${b.y.toFixed(1)} to `
          + `${b.right.toFixed(1)},${b.bottom.toFixed(1)} outside the viewBox `
          + `${vb.x},${vb.y} ${vb.width}x${vb.height}`);
      }
      if (el.tagName === "text" || el.tagName === "rect") {
        const r = el.getBoundingClientRect();
        if (r.width && (!rightmost || r.right > rightmost.r.right)) rightmost = {el, r};
      }
    }
    // The chart's right end (today's bar, the pace line's end, the target) is in view as the
    // page opens, not scrolled away inside a sideways-scrolling figure.
    let clip = svg.parentElement;
    while (clip && getComputedStyle(clip).overflowX === "visible") clip = clip.parentElement;
    const visibleRight = Math.min(clip ? clip.getBoundingClientRect().right : Infinity,
                                  window.innerWidth);
    if (rightmost && rightmost.r.right > visibleRight + 1) {
      faults.push(`${name}: its right end (${rightmost.el.tagName} `
        + `“${rightmost.el.textContent.trim()}”) at ${rightmost.r.right.toFixed(0)}px is out of `
        + `view (visible up to ${visibleRight.toFixed(0)}px)`);
    }
  }
  // Text cut short with an ellipsis (a section's name in the bottom bar). The browser reports
  // such a box as not overflowing (whole pixels), so its text's own width is measured.
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    if (style.textOverflow !== "ellipsis" || !el.checkVisibility()) continue;
    const text = document.createRange();
    text.selectNodeContents(el);
    const needed = text.getBoundingClientRect().width;
    const room = el.getBoundingClientRect().width - parseFloat(style.paddingLeft)
      - parseFloat(style.paddingRight) - parseFloat(style.borderLeftWidth)
      - parseFloat(style.borderRightWidth);
    if (needed > room + 0.01) {
      faults.push(`“${el.textContent.trim()}” cut: ${needed.toFixed(1)}px in ${room.toFixed(1)}px`);
    }
  }
  // A table is whole in its (sideways scrolling) wrapper: no column cut at the screen's edge.
  for (const table of document.querySelectorAll("main table")) {
    if (!table.checkVisibility()) continue;  // in a closed <details>
    const shown = table.getBoundingClientRect();
    let clip = table.parentElement;
    while (clip && getComputedStyle(clip).overflowX === "visible") clip = clip.parentElement;
    const right = Math.min(clip ? clip.getBoundingClientRect().right : Infinity, window.innerWidth);
    if (shown.right > right + 1) {
      const name = table.className || table.querySelector("caption, th")?.textContent.trim();
      faults.push(`table ${name}: ${shown.right.toFixed(0)}px wide, `
        + `visible up to ${right.toFixed(0)}px`);
    }
  }
  return faults;
}"""


def log_in(page, user):
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


# The account's data in the page's language: Cyrillic in Ukrainian, so that any Latin word left
# on a page came from the app (tests/i18n/pages.py).
DATA = {
    "en": {
        "name": "Taras",
        "plan": "Grow into a tech lead",
        "vision": "Lead a team.",
        "goal": "Learn Django",
        "other_goal": "Mentor two juniors",
        "done": "Done {} days ago",
        "today": "Read the docs on partials",
        "overdue": "Port the blog",
    },
    "uk": {
        "name": "Тарас",
        "plan": "Стати техлідом",
        "vision": "Вести команду.",
        "goal": "Вивчити веброзробку",
        "other_goal": "Навчити двох молодших колег",
        "done": "Зроблено {} днів тому",
        "today": "Прочитати документацію",
        "overdue": "Перенести блог",
    },
}


def a_busy_account(language="en"):
    """Data for every chart: a goal with a target date and check-ins, tasks done over weeks
    (today too), overdue ones, and a ready plan report."""
    text = DATA[language]
    user = UserFactory(name=text["name"])
    update_settings(user_settings=settings_for(user), language=language)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    now = timezone.now()
    today = timezone.localdate()
    plan = Plan.objects.create(user=user, title=text["plan"], vision=text["vision"])
    goal = Goal.objects.create(
        user=user,
        plan=plan,
        title=text["goal"],
        domain="learning",
        target_date=today + timedelta(days=200),
        created_at=now - timedelta(days=40),
    )
    Goal.objects.create(user=user, plan=plan, title=text["other_goal"], progress=25)
    for days_ago, value in [(30, 10), (20, 30), (9, 45), (1, 60)]:
        ProgressEntry.objects.create(
            goal=goal, value=value, created_at=now - timedelta(days=days_ago)
        )
    Goal.objects.filter(pk=goal.pk).update(progress=60)
    for day in range(0, 40, 3):
        task = Task.objects.create(user=user, goal=goal, title=text["done"].format(day))
        complete_task(task=task, now=now - timedelta(days=day))
    Task.objects.create(user=user, goal=goal, title=text["today"], due_date=today)
    Task.objects.create(user=user, goal=goal, title=text["overdue"], due_date=today - timedelta(3))
    ReportJob.objects.create(
        owner=user,
        kind=Kind.PLAN_REPORT,
        format=Format.PDF,
        parameters={"plan": str(plan.pk)},
        status="ready",
        finished_at=now,
        file="reports/plan-report.pdf",
    )
    return user, plan, goal


def check_page(page, screenshot, path, name, language):
    """The page answers, fits the phone, and in Ukrainian has no English left."""
    response = page.goto(path)
    assert response.status == 200, path
    screenshot(page, name)
    assert page.evaluate(LAYOUT_FAULTS) == [], path
    assert page.locator("html").get_attribute("lang") == language, path
    if language == "uk":
        assert_no_untranslated(page.content())


LOCALES = {"en": "en-US", "uk": "uk-UA"}
NAV = {
    "en": ["Dashboard", "Plans", "Goals", "Tasks", "Analytics", "Reports"],
    "uk": ["Панель", "Плани", "Цілі", "Завдання", "Аналітика", "Звіти"],
}


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_main_pages_fit_a_360px_phone(new_page, screenshot, scheme, language):
    user, plan, goal = a_busy_account(language)
    task = Task.objects.filter(user=user, completed_at__isnull=True).first()
    page = new_page(color_scheme=scheme, locale=LOCALES[language], **PHONE_360)
    # The public pages, in the browser's language.
    for path, name in [
        ("/", "landing"),
        ("/accounts/login/", "login"),
        ("/accounts/signup/", "signup"),
    ]:
        check_page(page, screenshot, path, f"phone360-{name}-{language}-{scheme}", language)

    log_in(page, user)
    for path, name in [
        ("/dashboard", "dashboard"),
        ("/tasks/", "tasks"),
        (task.get_absolute_url(), "task"),
        (plan.get_absolute_url(), "plan"),
        (goal.get_absolute_url(), "goal"),
        ("/analytics/", "analytics"),
        ("/reports/", "reports"),
        ("/settings/", "settings"),
    ]:
        check_page(page, screenshot, path, f"phone360-{name}-{language}-{scheme}", language)
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= HEADER_MAX_PX, f"{path}: header {header['height']} px"

    # The reports table: its rows stack on a phone, and the download link is whole.
    page.goto("/reports/")
    expect(page.locator("#recent-jobs").get_by_text(plan.title)).to_be_visible()
    link = page.locator("#recent-jobs a[download]").first
    box = link.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 360

    # The main nav stays in reach: every section, in a bar at the bottom of the screen.
    nav = page.locator("nav.site-nav")
    for section in NAV[language]:
        expect(nav.get_by_role("link", name=section, exact=True)).to_be_visible()
    bar = nav.bounding_box()
    assert bar["y"] + bar["height"] <= 740 + 1
    assert bar["y"] >= 740 - 80


def quiet_zone(png: bytes) -> tuple[float, int]:
    """(the white margin round everything not white, in modules; the darkest module's grey).

    The module size is read off the top-left finder pattern: its first dark row is 7 modules.
    """
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    marked = [(x, y) for y in range(height) for x in range(width) if pixels[x, y] < WHITE]
    assert marked, "no modules"
    left, top = min(x for x, _ in marked), min(y for _, y in marked)
    right, bottom = max(x for x, _ in marked), max(y for _, y in marked)
    y = next(y for y in range(height) if any(pixels[x, y] < 100 for x in range(width)))
    x = next(x for x in range(width) if pixels[x, y] < 100)
    run = 0
    while pixels[x + run, y] < 100:
        run += 1
    module = run / 7
    margin = min(left, top, width - 1 - right, height - 1 - bottom) / module
    return margin, min(pixels[x, y] for x, y in marked)


WHITE = 240


@pytest.mark.parametrize(
    ("scheme", "theme"),
    [("light", "system"), ("dark", "system"), ("light", "dark"), ("dark", "light")],
)
def test_the_two_factor_qr_code_sits_on_a_white_quiet_zone(new_page, screenshot, scheme, theme):
    user = UserFactory()
    update_settings(user_settings=settings_for(user), theme=theme)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page = new_page(color_scheme=scheme, **PHONE_360)
    log_in(page, user)
    page.goto("/accounts/2fa/totp/activate/")
    # allauth asks for the password again before two-factor settings change.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    qr = page.locator("img.qr")
    expect(qr).to_be_visible()
    screenshot(page, f"qr-{scheme}-{theme}")
    # The image as shown on the page (its corners included).
    box = qr.bounding_box()
    png = page.screenshot(
        clip={"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]}
    )
    margin, darkest = quiet_zone(png)
    # Four modules of white all round (a pixel of it may be the modules' anti-aliased edge).
    assert margin >= 3.8, f"a white quiet zone of {margin:.1f} modules"
    assert darkest < 60, f"the modules are not dark (at most {darkest})"
    assert page.evaluate(LAYOUT_FAULTS) == []


def test_first_run_takes_the_browser_zone_and_starts_from_a_template(new_page):
    page = new_page(timezone_id="Europe/Kiev", **PHONE_360)
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill("olena@example.com")
    page.get_by_label("Password", exact=True).fill(DEFAULT_PASSWORD)
    page.get_by_label("Password (again)").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    # Every sign-up is confirmed by email (issue 17, #8); meanwhile the password signs in.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("olena@example.com")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))

    from accounts.models import User

    user = User.objects.get(email="olena@example.com")
    assert user.settings.timezone == "Europe/Kyiv"  # the browser's, under its current name
    expect(page.locator(".timezone-offer")).to_have_count(0)  # nothing to offer: they agree

    # An empty account: a guided path and templates, no cards of zeros.
    expect(page.get_by_role("heading", name="Get started in three steps")).to_be_visible()
    expect(page.get_by_text("Where you stand")).to_have_count(0)
    assert page.evaluate(LAYOUT_FAULTS) == []
    page.get_by_role("button", name=re.compile(r"^Health")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Stronger and rested")
    plan = Plan.objects.get(user=user)
    assert plan.goals.count() == 3
    assert Task.objects.filter(user=user, goal__plan=plan).count() == 8
    page.goto("/dashboard")
    expect(page.get_by_role("link", name="Get running shoes that fit", exact=True)).to_be_visible()
    expect(page.get_by_text("Where you stand")).to_be_visible()


def test_a_browser_in_another_zone_is_offered_the_switch(new_page):
    user = UserFactory()
    assert user.settings.timezone != "Asia/Tokyo"
    page = new_page(timezone_id="Asia/Tokyo")
    log_in(page, user)
    offer = page.locator(".timezone-offer")
    expect(offer).to_contain_text("Asia/Tokyo")
    offer.get_by_role("button", name="Switch to Asia/Tokyo").click()
    expect(page.get_by_text("Your time zone is now Asia/Tokyo.")).to_be_visible()
    expect(page.locator(".timezone-offer")).to_have_count(0)
    user.settings.refresh_from_db()
    assert user.settings.timezone == "Asia/Tokyo"
