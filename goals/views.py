from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods, require_POST

from accounts.calendar import UserCalendar
from lib.web import (
    INVALID,
    edit_form,
    form_status,
    is_fragment_request,
    posted,
    redirect_back,
    render_page,
    submit,
)
from plans.selectors import get_plan_or_404

from . import services
from .charts import goal_chart
from .forms import GoalForm, ProgressForm
from .selectors import get_goal_or_404, goals_of, progress_entries_of

DETAIL_TEMPLATE = "goals/goal_detail.html"
PROGRESS_LOG_LENGTH = 20


@login_required
def goal_list(request):
    goals = goals_of(request.user).order_by("status", "target_date", "-created_at")
    return render_page(request, "goals/goal_list.html", {"goals": goals})


def _progress_context(goal, form=None):
    entries = list(progress_entries_of(goal)[:PROGRESS_LOG_LENGTH])
    history = [(entry.created_at, entry.value) for entry in reversed(entries)]
    return {
        "goal": goal,
        "entries": entries,
        "progress_form": form or ProgressForm(initial={"value": goal.progress}),
        # The page runs in the user's zone, so the path starts on the day analytics uses.
        "chart": goal_chart(goal, history) if entries else None,
    }


@login_required
def goal_detail(request, pk):
    goal = get_goal_or_404(request.user, pk)
    return _detail_page(request, goal)


def _detail_page(request, goal, *, progress_form=None, status=200):
    today = UserCalendar.of(request.user, user_settings=request.user_settings).today
    context = _progress_context(goal, progress_form) | {
        # The rows of the task list, as `tasks.selectors.task_rows` gives them.
        "tasks": goal.tasks.owned_by(request.user)
        .select_related("goal")
        .with_overdue(today)
        .with_details(),
        "today": today,
        "fixed_goal": goal,
    }
    return render_page(request, DETAIL_TEMPLATE, context, status=status)


@login_required
@require_POST
def goal_log_progress(request, pk):
    """Log progress; htmx gets the progress panel back, and the header's status out of band."""
    goal = get_goal_or_404(request.user, pk)
    form = ProgressForm(request.POST)
    if submit(form, lambda data: services.log_progress(goal=goal, **data)):
        if is_fragment_request(request):
            return render_page(
                request, DETAIL_TEMPLATE, _progress_context(goal), partial="progress_logged"
            )
        messages.success(request, f"Progress logged: {goal.progress}%.")
        return redirect(goal)
    if is_fragment_request(request):
        return render_page(
            request,
            DETAIL_TEMPLATE,
            _progress_context(goal, form),
            partial="progress",
            status=INVALID,
        )
    return _detail_page(request, goal, progress_form=form, status=INVALID)


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request):
    initial = {}
    if plan_id := request.GET.get("plan"):
        initial["plan"] = get_plan_or_404(request.user, plan_id)
    form = GoalForm(posted(request), user=request.user, initial=initial)
    if goal := submit(form, lambda data: services.create_goal(user=request.user, **data)):
        messages.success(request, f"Goal “{goal.title}” created.")
        return redirect(goal)
    return render_page(request, "goals/goal_form.html", {"form": form}, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk):
    goal = get_goal_or_404(request.user, pk)
    form = edit_form(GoalForm, goal, posted(request), user=request.user)
    if submit(form, lambda data: services.update_goal(goal=goal, **data)):
        messages.success(request, "Goal saved.")
        return redirect(goal)
    context = {"form": form, "goal": goal}
    return render_page(request, "goals/goal_form.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request, pk):
    goal = get_goal_or_404(request.user, pk)
    if request.method == "GET":
        return render_page(request, "goals/goal_confirm_delete.html", {"goal": goal})
    plan, title = goal.plan, goal.title
    services.delete_goal(goal=goal)
    messages.success(request, f"Deleted the goal “{title}”. Its tasks are still on your list.")
    return redirect_back(request, plan.get_absolute_url() if plan else "goals:list")
