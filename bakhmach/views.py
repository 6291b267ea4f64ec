import logging
from functools import partial
from operator import getitem
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.calendar import UserCalendar
from analytics.selectors import DASHBOARD_TASKS, dashboard_lists, get_summary
from lib import heartbeat
from tasks.forms import QuickAddForm

from . import onboarding
from .celery import app as celery_app

logger = logging.getLogger(__name__)
# What `analytics.selectors.dashboard_lists` gives the dashboard.
LISTS = ("overdue", "due_today", "goals", "done_this_week")


@never_cache
@require_GET
def healthz(request):
    """The process is up; says nothing about its dependencies."""
    return JsonResponse({"status": "ok"})


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache():
    cache.set("readyz", "1", timeout=5)
    if cache.get("readyz") != "1":
        raise RuntimeError("cache did not return the value it was given")


def _check_broker():
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@never_cache
@require_GET
def readyz(request):
    """Ready to serve: database, cache and broker all answer. 503 names the ones that failed.

    The workers are reported too (their heartbeat), as "degraded" with a 200: without a worker
    the pages still serve, and taking every web instance out of a load balancer because the
    worker died would make a small outage a whole one. Alert on `/metrics` for that.
    """
    checks = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # any failure of a dependency makes us not ready
            logger.warning("readiness check %s failed: %s", name, exc)
            results[name] = f"failed: {exc.__class__.__name__}"
    ready = all(value == "ok" for value in results.values())
    try:
        worker_alive, results["worker"] = heartbeat.status()
    except Exception as exc:  # the cache is down: already reported above
        worker_alive, results["worker"] = False, f"failed: {exc.__class__.__name__}"
    status = "ok" if ready and worker_alive else "degraded" if ready else "unavailable"
    return JsonResponse({"status": status, "checks": results}, status=200 if ready else 503)


# --- Pages ------------------------------------------------------------------------------


@require_GET
def landing(request):
    """The front page for visitors; signed-in people go straight to their dashboard."""
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "landing.html")


@login_required
@require_GET
def dashboard(request):
    """Today's and overdue tasks, active goals with their progress, this week's completions."""
    calendar = UserCalendar.of(request.user, user_settings=request.user_settings)
    # Nothing below is read unless the page's cached fragment (under the user's version token)
    # misses: the lists and the figures are read on first use.
    summary = cast(
        dict, SimpleLazyObject(lambda: get_summary(user=request.user, calendar=calendar))
    )
    lists = SimpleLazyObject(lambda: dashboard_lists(user=request.user, calendar=calendar))

    def overdue():
        # The list shows the first overdue tasks; the count is all of them.
        count = summary["tasks"]["overdue"]
        return {"count": count, "more": max(0, count - DASHBOARD_TASKS)}

    context = {
        "today": calendar.today,
        "week_start": calendar.week()[0],
        **{name: SimpleLazyObject(partial(getitem, lists, name)) for name in LISTS},
        "summary": summary,
        "overdue_tasks": SimpleLazyObject(overdue),
        "quick_add": SimpleLazyObject(
            lambda: QuickAddForm(user=request.user, initial={"due_date": calendar.today})
        ),
        "first_steps": SimpleLazyObject(lambda: onboarding.first_steps(summary)),
        "plan_templates": SimpleLazyObject(
            lambda: onboarding.TEMPLATES.values() if not summary["plans"] else ()
        ),
        # Figures only once there is something to count.
        "has_figures": SimpleLazyObject(
            lambda: bool(summary["tasks"]["total"] or summary["goals"]["total"])
        ),
    }
    return render(request, "dashboard.html", context)


@login_required
@require_POST
def start_from_template(request):
    """Onboarding: a plan with goals and tasks from a template, to edit into one's own."""
    key = request.POST.get("template", "")
    if key not in onboarding.TEMPLATES:
        messages.error(request, _("Choose one of the plan templates."))
        return redirect("dashboard")
    calendar = UserCalendar.of(request.user, user_settings=request.user_settings)
    plan = onboarding.start_from_template(user=request.user, key=key, today=calendar.today)
    messages.success(
        request,
        _("Your plan “%(title)s” is ready, with its goals and first tasks. Change anything.")
        % {"title": plan.title},
    )
    return redirect(plan)
