from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from lib.web import (
    edit_form,
    form_status,
    posted,
    render_page,
    submit,
)

from . import services
from .forms import PlanDeleteForm, PlanForm
from .selectors import get_plan_or_404, plans_of


@login_required
def plan_list(request):
    return render_page(request, "plans/plan_list.html", {"plans": plans_of(request.user)})


@login_required
def plan_detail(request, pk):
    plan = get_plan_or_404(request.user, pk)
    goals = plan.goals.owned_by(request.user).order_by("status", "target_date")
    return render_page(request, "plans/plan_detail.html", {"plan": plan, "goals": goals})


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
        messages.success(request, "Plan saved.")
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
        messages.success(request, f"Deleted the plan “{plan.title}”.")
        return redirect("plans:list")
    return render_page(request, "plans/plan_confirm_delete.html", {"plan": plan, "form": form})
