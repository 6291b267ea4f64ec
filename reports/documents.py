"""The documents a job renders. Each is a context manager yielding a Django `File` to store.

PDFs are HTML templates printed by WeasyPrint with the same SVG charts as the web pages
(`analytics.charts`) and DejaVu Sans, found by family name through fontconfig, for Ukrainian
as well as English text. The CSV export is in `reports.exports`.
"""

import base64
import datetime
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from django.core.files import File
from django.core.files.base import ContentFile
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from accounts.calendar import UserCalendar
from accounts.services import settings_for
from analytics import figures
from analytics.scoring import FORMULA
from analytics.selectors import get_goal_tracking, get_productivity, get_summary
from goals.charts import goal_chart
from goals.models import Goal, Status
from plans.models import Plan
from tasks.models import Task

from . import exports
from .errors import PLAN_GONE_MESSAGE, ReportError

# The analytics export shows this many days of completions and scores.
ANALYTICS_DAYS = 30
PLAN_REPORT_TEMPLATE = "reports/pdf/plan_report.html"
# A goal's page lists at most this many of its tasks, in the order of the task list (open ones
# first, soonest due first, then the most recently completed); a line under the table counts
# the others and points to the CSV export, which has every task. This keeps a goal's section
# to about two pages, and the time and memory of a report bounded by its number of goals
# rather than its tasks (5,000 tasks printed in full made a 185-page PDF in 80 s and 715 MB).
TASK_ROWS_PER_GOAL = 25


def _print(template_name: str, context: dict) -> bytes:
    # Imported here: only workers print, and WeasyPrint takes a while to load.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string(template_name, context)
    # The documents embed everything they show; refusing every URL but data: keeps a title
    # typed as <img src="file:///etc/passwd"> (escaped anyway) from ever being fetched.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


_SVG_CLASS = re.compile(r'^<svg[^>]*? class="([^"]*)"')


def _image(svg: str) -> SafeString:
    """An SVG chart as an `<img>` of a data: URL, with the chart's classes.

    WeasyPrint draws it as it draws the inline SVG (text included, so the labels stay
    searchable), but parses it on its own instead of running the page's CSS cascade over each
    of its elements: the goal charts' points, labels and tooltips are a fifth of a plan
    report's elements.
    """
    classes = _SVG_CLASS.search(svg)
    return format_html(
        '<img class="{}" alt="" src="data:image/svg+xml;base64,{}">',
        classes.group(1) if classes else "",
        base64.b64encode(svg.encode()).decode(),
    )


@contextmanager
def _owner_locale(owner) -> Iterator[UserCalendar]:
    """Dates in the owner's time zone, words in their language, as on their web pages.

    Yields the owner's calendar, which the analytics selectors take instead of reading the
    owner's settings again.
    """
    preferences = settings_for(owner)
    with timezone.override(preferences.tzinfo), translation.override(preferences.language):
        yield UserCalendar.of(owner, user_settings=preferences)


def _history(tracking: dict) -> list[tuple[datetime.datetime, int]]:
    return [(entry["at"], entry["progress"]) for entry in tracking["history"]]


def _tracking_row(tracking: dict) -> dict:
    return {**tracking, "status_label": Status(tracking["status"]).label}


# The task list's own order (`Task.Meta.ordering`: expressions and field names).
_TASK_LIST_ORDER = cast("list[F | str]", Task._meta.ordering)


def _listed_tasks(today: datetime.date):
    """The first `TASK_ROWS_PER_GOAL` tasks of each goal in the task list's order, each with
    whether it is `overdue` on the owner's `today`; the rest stay in the database."""
    return (
        Task.objects.with_overdue(today)
        .annotate(row=Window(RowNumber(), partition_by=[F("goal_id")], order_by=_TASK_LIST_ORDER))
        .filter(row__lte=TASK_ROWS_PER_GOAL)
    )


def _plan_goals(today: datetime.date):
    """A plan's goals in reading order (soonest target first), each with its number of tasks
    (`task_total`, `task_done`) and the tasks its page lists (`_listed_tasks`)."""
    return (
        Goal.objects.annotate(
            task_total=Count("tasks"),
            task_done=Count("tasks", filter=Q(tasks__completed_at__isnull=False)),
        )
        .order_by(F("target_date").asc(nulls_last=True), "created_at")
        .prefetch_related(Prefetch("tasks", queryset=_listed_tasks(today)))
    )


def plan_report_context(job, calendar: UserCalendar) -> dict:
    """Everything the plan report shows. Raises `ReportError` when the plan no longer exists.

    Queries: the plan (with its progress), its goals (with their task counts), the tasks
    their pages list (at most `TASK_ROWS_PER_GOAL` each), then the analytics selectors' own
    (goal tracking, summary; never cached), whatever the number of goals and tasks.
    """
    plan = (
        Plan.objects.owned_by(job.owner)
        .with_progress()
        .filter(pk=job.parameters["plan"])
        .prefetch_related(Prefetch("goals", queryset=_plan_goals(calendar.today)))
        .first()
    )
    if plan is None:
        raise ReportError(PLAN_GONE_MESSAGE)
    # Fresh, not the analytics cache: the figures must describe the goals read just above.
    tracking = get_goal_tracking(user=job.owner, calendar=calendar, use_cache=False)
    tracking = {goal["id"]: goal for goal in tracking["goals"]}
    summary = get_summary(user=job.owner, calendar=calendar, use_cache=False)
    goals = []
    for goal in plan.goals.all():
        goal_tracking = tracking.get(goal.pk)
        if goal_tracking is None:
            # Added between the two reads: its data moved the fingerprint, so the next
            # request makes a report with it; this one shows the plan as it was read.
            continue
        tasks = list(goal.tasks.all())
        listed_done = sum(task.is_completed for task in tasks)
        goals.append(
            {
                "goal": goal,
                "tracking": goal_tracking,
                "chart": _image(goal_chart(goal, _history(goal_tracking), calendar.tzinfo)),
                "projection": figures.projection(goal_tracking),
                "tasks": tasks,
                "tasks_total": goal.task_total,
                "tasks_done": goal.task_done,
                # The tasks the table leaves out, and how many of them are done.
                "tasks_unlisted": goal.task_total - len(tasks),
                "tasks_unlisted_done": goal.task_done - listed_done,
            }
        )
    return {
        "plan": plan,
        "progress": round(plan.progress),
        "owner": job.owner,
        "goals": goals,
        "goals_completed": sum(item["goal"].is_completed for item in goals),
        "tasks_total": sum(item["tasks_total"] for item in goals),
        "tasks_done": sum(item["tasks_done"] for item in goals),
        "tracking_rows": [_tracking_row(item["tracking"]) for item in goals],
        "summary": summary,
        "balance_wheel": _image(
            plan.goals.all().balance_wheel(
                title=gettext("Life balance of “%(plan)s”") % {"plan": plan.title}
            )
        ),
        "reviews": _reviews(plan),
        "generated_at": timezone.now(),
    }


def _reviews(plan: Plan) -> list[dict]:
    """The plan's reviews, newest first, each goal as it was then next to how it is now."""
    now = {str(goal.pk): goal for goal in plan.goals.all()}
    return [
        {
            "review": review,
            "rows": [(then, now.get(then["goal"])) for then in review.goals],
        }
        for review in plan.reviews.order_by("-created_at", "-pk")
    ]


@contextmanager
def plan_report(job) -> Iterator[File]:
    with _owner_locale(job.owner) as calendar:
        context = plan_report_context(job, calendar)
        yield ContentFile(_print(PLAN_REPORT_TEMPLATE, context))


def analytics_context(owner, calendar: UserCalendar) -> dict:
    """The analytics page as a document: figures, the four charts, every goal's tracking."""
    # Fresh, not the analytics cache, like every other figure a document shows.
    summary = get_summary(user=owner, calendar=calendar, use_cache=False)
    tracking = get_goal_tracking(user=owner, calendar=calendar, use_cache=False)
    today = calendar.today
    productivity = get_productivity(
        user=owner,
        period="month",
        start=today - datetime.timedelta(days=ANALYTICS_DAYS - 1),
        end=today,
        calendar=calendar,
        use_cache=False,
    )
    return {
        "owner": owner,
        "summary": summary,
        "tracking_rows": [_tracking_row(goal) for goal in tracking["goals"]],
        "productivity": productivity,
        "today": today,
        "generated_at": timezone.now(),
        "progress_chart": figures.progress_chart(tracking["goals"], calendar.tzinfo),
        "charted_goals": len(figures.charted_goals(tracking["goals"])),
        "evidence": figures.evidence_totals(tracking["goals"]),
        "completions_chart": figures.completions_chart(productivity),
        "score_chart": figures.score_chart(productivity),
        "domain_chart": figures.domain_chart(summary),
        "balance_wheel": Goal.objects.owned_by(owner).balance_wheel(title=gettext("Life balance")),
        "formula": FORMULA,
    }


@contextmanager
def analytics_pdf(job) -> Iterator[File]:
    with _owner_locale(job.owner) as calendar:
        context = analytics_context(job.owner, calendar)
        yield ContentFile(_print("reports/pdf/analytics.html", context))


@contextmanager
def analytics_csv(job) -> Iterator[File]:
    # Rows stream from the database into a temporary file, never all in memory at once.
    with tempfile.TemporaryFile() as archive:
        exports.write_archive(job.owner, archive, bom=job.parameters.get("bom", False))
        archive.seek(0)
        yield File(archive)
