"""An axe-core audit of the main pages, in both themes: no serious or critical violation.

axe (tests/e2e/vendor/axe-core) is added to every page of the browser context as an init
script, which the Content Security Policy does not govern (an injected <script> it would block).
"""

from datetime import date, timedelta
from pathlib import Path

import pytest

from accounts.factories import UserFactory
from accounts.services import settings_for
from goals.factories import GoalFactory, ProgressEntryFactory
from plans.factories import PlanFactory
from tasks.factories import TaskFactory

from .test_flows import log_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
RUN = """() => axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary),
})))"""


def violations(page):
    found = page.evaluate(RUN)
    return [v for v in found if v["impact"] in BLOCKING]


def audit(page, paths):
    """Every blocking violation of the pages, as readable lines naming page and rule."""
    report = []
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("load")
        report += [
            f"{path} {v['impact']} {v['id']} ({v['help']}): {v['nodes']}" for v in violations(page)
        ]
    return report


@pytest.fixture
def axe_page(new_page):
    def open_page(**options):
        page = new_page(**options)
        page.context.add_init_script(path=str(AXE))
        return page

    return open_page


def test_the_audit_finds_a_violation(axe_page):
    """The harness works: an image without a text alternative is reported."""
    page = axe_page()
    page.goto("/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")

    assert "image-alt" in {v["id"] for v in violations(page)}


def test_public_pages_have_no_serious_violations(axe_page):
    for scheme in ("light", "dark"):
        page = axe_page(color_scheme=scheme)
        assert audit(page, ["/", "/accounts/login/", "/accounts/signup/", "/offline"]) == []


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_main_pages_have_no_serious_violations(axe_page, theme):
    user = UserFactory()
    user_settings = settings_for(user)
    user_settings.theme = theme
    user_settings.save()
    plan = PlanFactory(user=user, title="Grow the bakery")
    goal = GoalFactory(
        user=user,
        plan=plan,
        title="Open a second shop",
        target_value=100,
        target_date=date.today() + timedelta(days=90),
    )
    ProgressEntryFactory(goal=goal, value=20)
    today = date.today()
    for n, title in enumerate(["Sign the lease", "Hire a baker", "Order the oven"]):
        TaskFactory(
            user=user,
            goal=goal,
            title=title,
            due_date=today + timedelta(days=n - 1),
            priority=n + 1,
        )
    page = axe_page()
    log_in(page, user)

    report = audit(
        page,
        [
            "/dashboard",
            "/tasks/",
            f"/goals/{goal.pk}/",
            "/plans/",
            f"/plans/{plan.pk}/",
            "/analytics/",
            "/reports/",
            "/settings/",
            "/device",
        ],
    )

    assert report == []
