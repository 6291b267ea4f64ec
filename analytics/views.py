from typing import Any

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from accounts.calendar import UserCalendar
from goals.models import Goal
from lib.web import INVALID, is_fragment_request, render_page

from . import figures, selectors
from .forms import PeriodForm
from .scoring import FORMULA

TEMPLATE = "analytics/analytics.html"


@login_required
@require_GET
def analytics(request):
    """The analytics page; for htmx, the productivity section of the chosen period only."""
    form = PeriodForm(request.GET)
    valid = form.is_valid()
    chosen: dict[str, Any] = form.cleaned_data if valid else {"period": "week"}
    calendar = UserCalendar.of(request.user, user_settings=request.user_settings)
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
        "completions_chart": figures.completions_chart(productivity),
        "score_chart": figures.score_chart(productivity),
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
        {**goal, "projection": figures.projection(goal)}
        for goal in selectors.get_goal_tracking(user=user, calendar=calendar)["goals"]
    ]
    return {
        "summary": summary,
        "goals": goals,
        "formula": FORMULA,
        "domains": figures.domain_counts(summary),
        "domain_chart": figures.domain_chart(summary),
        "charted_goals": len(figures.charted_goals(goals)),
        "evidence": figures.evidence_totals(goals),
        "progress_chart": figures.progress_chart(goals, calendar.tzinfo),
        "balance_wheel": Goal.objects.owned_by(user).balance_wheel(title=gettext("Life balance")),
    }
