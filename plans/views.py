from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.calendar import UserCalendar
from lib.web import (
    edit_form,
    form_status,
    posted,
    render_page,
    submit,
)

from . import services
from .forms import PlanDeleteForm, PlanForm, PlanReviewForm
from .models import Plan
from .selectors import (
    get_plan_or_404,
    get_review_or_404,
    get_shared_plan_or_404,
    plans_of,
    reviews_of,
)


@login_required
def plan_list(request):
    return render_page(request, "plans/plan_list.html", {"plans": plans_of(request.user)})


RECENT_REVIEWS = 5


def _balance_wheel(goals, plan: Plan):
    return goals.balance_wheel(
        title=_("Life balance of “%(title)s”") % {"title": plan.title}, chart_id=f"wheel-{plan.pk}"
    )


@login_required
def plan_detail(request, pk):
    plan = get_plan_or_404(request.user, pk)
    goals = plan.goals.owned_by(request.user)
    context = {
        "plan": plan,
        "goals": goals.select_related("plan").order_by("status", "target_date"),
        "reviews": reviews_of(plan)[:RECENT_REVIEWS],
        "next_review": plan.next_review(),
        "today": UserCalendar.of(request.user, user_settings=request.user_settings).today,
        "wheel": _balance_wheel(goals, plan),
        "share_url": request.build_absolute_uri(plan.get_share_url()) if plan.is_shared else "",
    }
    return render_page(request, "plans/plan_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_review_create(request, pk):
    """Write a review: the goals as they stand now, and the owner's reflection."""
    plan = get_plan_or_404(request.user, pk)
    form = PlanReviewForm(posted(request))
    if review := submit(form, lambda data: services.create_review(plan=plan, **data)):
        messages.success(request, _("Review saved: a snapshot you can compare with later."))
        return redirect(review)
    goals = plan.goals.owned_by(request.user).order_by("status", "target_date", "created_at")
    context = {"plan": plan, "form": form, "goals": goals}
    return render_page(request, "plans/review_form.html", context, status=form_status(form))


@login_required
def plan_review_detail(request, pk, review_id):
    """A review side by side with the goals as they are now."""
    plan = get_plan_or_404(request.user, pk)
    review = get_review_or_404(plan, review_id)
    now = {str(goal.pk): goal for goal in plan.goals.owned_by(request.user)}
    rows = []
    for then in review.goals:
        goal = now.get(then["goal"])
        rows.append((then, goal, None if goal is None else goal.progress - then["progress"]))
    reviewed = {then["goal"] for then in review.goals}
    added = [goal for key, goal in now.items() if key not in reviewed]
    context = {"plan": plan, "review": review, "rows": rows, "added": added}
    return render_page(request, "plans/review_detail.html", context)


@login_required
@require_POST
def plan_share(request, pk):
    """Turn the plan's read-only link on (a new secret each time) or off."""
    plan = get_plan_or_404(request.user, pk)
    if request.POST.get("action") == "revoke":
        services.unshare_plan(plan=plan)
        messages.success(request, _("The share link is revoked: it no longer opens the plan."))
    else:
        services.share_plan(plan=plan)
        messages.success(request, _("A new read-only link is ready; any previous one stopped."))
    return redirect(plan)


@require_GET
def shared_plan(request, token):
    """The read-only page of a shared plan: no sign-in, no edit controls, no private tasks,
    kept out of search engines."""
    plan = get_shared_plan_or_404(token)
    goals = plan.goals.order_by("status", "target_date", "created_at").prefetch_related(
        "key_results", "tasks"
    )
    context = {
        "plan": plan,
        "goals": goals,
        "reviews": reviews_of(plan)[:RECENT_REVIEWS],
        "wheel": _balance_wheel(plan.goals.all(), plan),
    }
    response = render(request, "plans/shared_plan.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the secret stays out of other sites' logs
    return response


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    form = PlanForm(posted(request))
    if plan := submit(form, lambda data: services.create_plan(user=request.user, **data)):
        messages.success(request, f"Plan “{plan.title}” created. Now add its first goal.")
        return redirect(plan)
    return render_page(request, "plans/plan_form.html", {"form": form}, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    plan = get_plan_or_404(request.user, pk)
    form = edit_form(PlanForm, plan, posted(request))
    if submit(form, lambda data: services.update_plan(plan=plan, **data)):
        messages.success(request, _("Plan saved."))
        return redirect(plan)
    context = {"form": form, "plan": plan}
    return render_page(request, "plans/plan_form.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def plan_delete(request, pk):
    plan = get_plan_or_404(request.user, pk)
    form = PlanDeleteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.delete_plan(plan=plan, cascade=form.cleaned_data["cascade"])
        messages.success(request, _("Deleted the plan “%(title)s”.") % {"title": plan.title})
        return redirect("plans:list")
    return render_page(request, "plans/plan_confirm_delete.html", {"plan": plan, "form": form})
