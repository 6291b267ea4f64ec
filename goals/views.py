from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
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
from .forms import CheckInForm, GoalForm, KeyResultForm
from .models import UNIT_SUGGESTIONS, KeyResult, Measure
from .selectors import (
    get_check_in_or_404,
    get_goal_or_404,
    get_key_result_or_404,
    goals_of,
    progress_entries_of,
)

DETAIL_TEMPLATE = "goals/goal_detail.html"
PROGRESS_LOG_LENGTH = 20


@login_required
def goal_list(request):
    goals = goals_of(request.user).order_by("status", "target_date", "-created_at")
    return render_page(request, "goals/goal_list.html", {"goals": goals})


def _check_in_form(request, goal, data=None, entry=None):
    """The check-in form, its value and status suggested from where the goal stands (or, to
    edit, from the check-in)."""
    if entry is not None:
        value = entry.value if goal.measure == Measure.MANUAL else entry.metric_value
        initial = {"value": value, "status": entry.status, "note": entry.note}
        initial["evidence_url"] = entry.evidence_url
    else:
        value = goal.progress if goal.measure == Measure.MANUAL else goal.current_value
        calendar = UserCalendar.of(request.user, user_settings=request.user_settings)
        initial = {"value": value, "status": services.suggest_status(goal, calendar=calendar)}
    return CheckInForm(data, goal=goal, entry=entry, initial=initial)


def _progress_context(request, goal, form=None, *, confirming=False):
    entries = list(progress_entries_of(goal)[:PROGRESS_LOG_LENGTH])
    history = [(entry.created_at, entry.value) for entry in reversed(entries)]
    key_results = goal.measuring_key_results
    return {
        "goal": goal,
        "entries": entries,
        "progress_form": form or _check_in_form(request, goal),
        "confirming": confirming,
        "key_results": key_results,
        "key_result_form": KeyResultForm()
        if goal.measure == Measure.KEY_RESULTS and len(key_results) < KeyResult.MAX_PER_GOAL
        else None,
        "progress_basis": goal.explain_progress(key_results),
        "unit_suggestions": UNIT_SUGGESTIONS,
        # The page runs in the user's zone, so the path starts on the day analytics uses.
        "chart": goal_chart(goal, history) if entries else None,
    }


@login_required
def goal_detail(request, pk):
    goal = get_goal_or_404(request.user, pk)
    return _detail_page(request, goal)


def _detail_page(request, goal, *, progress_form=None, status=200, confirming=False):
    today = UserCalendar.of(request.user, user_settings=request.user_settings).today
    context = _progress_context(request, goal, progress_form, confirming=confirming) | {
        # The rows of the task list, as `tasks.selectors.task_rows` gives them.
        "tasks": goal.tasks.owned_by(request.user)
        .select_related("goal")
        .with_overdue(today)
        .with_details(),
        "today": today,
        "fixed_goal": goal,
    }
    return render_page(request, DETAIL_TEMPLATE, context, status=status)


def _progress_answer(request, goal, form, *, status, confirming=False):
    """The progress panel (htmx) or the whole page, with the check-in form as it came back."""
    if is_fragment_request(request):
        context = _progress_context(request, goal, form, confirming=confirming)
        return render_page(request, DETAIL_TEMPLATE, context, partial="progress", status=status)
    return _detail_page(request, goal, progress_form=form, status=status, confirming=confirming)


def _checked_in_message(request, goal) -> None:
    if goal.is_completed:
        messages.success(request, _("Goal completed! If that was a mistake, reopen it."))
    else:
        messages.success(request, _("Checked in: %(progress)s%%.") % {"progress": goal.progress})


@login_required
@require_POST
def goal_log_progress(request, pk):
    """Check in. Reaching 100 % asks first (the form comes back to confirm); htmx gets the
    progress panel back, and the header's status out of band."""
    goal = get_goal_or_404(request.user, pk)
    form = _check_in_form(request, goal, request.POST)
    if form.is_valid() and form.needs_confirmation:
        return _progress_answer(request, goal, form, status=200, confirming=True)
    if submit(form, lambda data: services.check_in(goal=goal, **form.check_in_fields())):
        if is_fragment_request(request):
            return render_page(
                request,
                DETAIL_TEMPLATE,
                _progress_context(request, goal),
                partial="progress_logged",
            )
        _checked_in_message(request, goal)
        return redirect(goal)
    return _progress_answer(request, goal, form, status=INVALID)


@login_required
@require_http_methods(["GET", "POST"])
def goal_check_in_edit(request, pk, entry_id):
    """Edit a check-in; progress, completion and the chart follow."""
    goal = get_goal_or_404(request.user, pk)
    entry = get_check_in_or_404(goal, entry_id)
    form = _check_in_form(request, goal, posted(request), entry=entry)
    confirming = form.is_bound and form.is_valid() and form.needs_confirmation
    if not confirming and submit(
        form, lambda data: services.update_check_in(entry=entry, **form.check_in_fields())
    ):
        goal.refresh_from_db()
        messages.success(request, f"Check-in saved; the goal is at {goal.progress}%.")
        return redirect(goal)
    context = {"goal": goal, "entry": entry, "form": form, "confirming": confirming}
    status = 200 if confirming else form_status(form)
    return render_page(request, "goals/check_in_form.html", context, status=status)


@login_required
@require_POST
def goal_check_in_delete(request, pk, entry_id):
    goal = get_goal_or_404(request.user, pk)
    goal = services.delete_check_in(entry=get_check_in_or_404(goal, entry_id))
    messages.success(request, f"Check-in deleted; the goal is at {goal.progress}%.")
    return redirect(goal)


@login_required
@require_POST
def goal_reopen(request, pk):
    """Undo a completion (see services.reopen_goal)."""
    goal = services.reopen_goal(goal=get_goal_or_404(request.user, pk))
    messages.success(request, _("Goal reopened at %(progress)s%%.") % {"progress": goal.progress})
    return redirect(goal)


@login_required
@require_POST
def goal_key_result_create(request, pk):
    goal = get_goal_or_404(request.user, pk)
    form = KeyResultForm(request.POST)
    if submit(form, lambda data: services.create_key_result(goal=goal, **data)):
        messages.success(request, _("Key result added."))
        return redirect(goal)
    context = {"goal": goal, "form": form, "unit_suggestions": UNIT_SUGGESTIONS}
    return render_page(request, "goals/key_result_form.html", context, status=INVALID)


@login_required
@require_http_methods(["GET", "POST"])
def goal_key_result_edit(request, pk, kr_id):
    goal = get_goal_or_404(request.user, pk)
    result = get_key_result_or_404(goal, kr_id)
    form = edit_form(KeyResultForm, result, posted(request))
    if submit(form, lambda data: services.update_key_result(key_result=result, **data)):
        messages.success(request, _("Key result saved."))
        return redirect(goal)
    context = {"goal": goal, "key_result": result, "form": form}
    context["unit_suggestions"] = UNIT_SUGGESTIONS
    return render_page(request, "goals/key_result_form.html", context, status=form_status(form))


@login_required
@require_POST
def goal_key_result_delete(request, pk, kr_id):
    goal = get_goal_or_404(request.user, pk)
    services.delete_key_result(key_result=get_key_result_or_404(goal, kr_id))
    messages.success(request, _("Key result deleted; the goal's progress follows."))
    return redirect(goal)


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
    context = {"form": form, "unit_suggestions": UNIT_SUGGESTIONS}
    return render_page(request, "goals/goal_form.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk):
    goal = get_goal_or_404(request.user, pk)
    form = edit_form(GoalForm, goal, posted(request), user=request.user)
    if submit(form, lambda data: services.update_goal(goal=goal, **data)):
        messages.success(request, _("Goal saved."))
        return redirect(goal)
    context = {"form": form, "goal": goal, "unit_suggestions": UNIT_SUGGESTIONS}
    return render_page(request, "goals/goal_form.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request, pk):
    goal = get_goal_or_404(request.user, pk)
    if request.method == "GET":
        return render_page(request, "goals/goal_confirm_delete.html", {"goal": goal})
    plan, title = goal.plan, goal.title
    services.delete_goal(goal=goal)
    messages.success(
        request,
        _("Deleted the goal “%(title)s”. Its tasks are still on your list.") % {"title": title},
    )
    return redirect_back(request, plan.get_absolute_url() if plan else "goals:list")
