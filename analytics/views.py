from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.calendar import UserCalendar
from goals.models import Domain
from lib.web import INVALID, is_fragment_request, render_page

from . import charts, selectors
from .forms import PeriodForm
from .scoring import FORMULA

TEMPLATE = "analytics/analytics.html"
# One line per goal is readable up to the size of the chart palette.
CHARTED_GOALS = len(charts.PALETTE)


@login_required
@require_GET
def analytics(request):
    """The analytics page; for htmx, the productivity section of the chosen period only."""
    form = PeriodForm(request.GET)
    valid = form.is_valid()
    chosen = form.cleaned_data if valid else {"period": "week"}
    calendar = UserCalendar.from_settings(request.user_settings)
    productivity = selectors.get_productivity(
        user=request.user,
        period=chosen["period"],
        start=chosen.get("from"),
        end=chosen.get("to"),
        calendar=calendar,
    )
    context = {
        "form": form,
        "custom_range": chosen.get("from") is not None,
        "productivity": productivity,
        "completions_chart": charts.completions_chart(
            [(day["date"], day["completed"]) for day in productivity["series"]]
        ),
        "score_chart": charts.score_chart(
            [(day["date"], day["score"]) for day in productivity["series"]]
        ),
    }
    if not is_fragment_request(request):
        context.update(_overview(request.user, calendar))
    return render_page(
        request, TEMPLATE, context, partial="productivity", status=200 if valid else INVALID
    )


def _overview(user, calendar: UserCalendar) -> dict:
    """The rest of the page: the summary, goal tracking and their charts."""
    summary = selectors.get_summary(user=user, calendar=calendar)
    goals = [
        {**goal, "projection_note": selectors.projection_note(goal["projection_reason"])}
        for goal in selectors.get_goal_tracking(user=user, calendar=calendar)["goals"]
    ]
    charted = [goal for goal in goals if goal["history"]][:CHARTED_GOALS]
    domains = [(label, summary["goals"]["by_domain"][value]) for value, label in Domain.choices]
    return {
        "summary": summary,
        "goals": goals,
        "formula": FORMULA,
        "domains": domains,
        "domain_chart": charts.domain_chart(domains),
        "charted_goals": len(charted),
        "progress_chart": charts.progress_chart(
            [
                (
                    goal["title"],
                    [
                        (timezone.localtime(point["at"], calendar.tzinfo), point["progress"])
                        for point in goal["history"]
                    ],
                )
                for goal in charted
            ]
        ),
    }
