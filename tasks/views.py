from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
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

from . import selectors, services
from .forms import QuickAddForm, TaskFilterForm, TaskForm, TitleForm
from .selectors import get_task_or_404, get_task_row_or_404

LIST_TEMPLATE = "tasks/task_list.html"
PAGE_SIZE = 50


def _form_fields(form):
    return {name: form.cleaned_data[name] for name in form.Meta.fields}


def _submit_new_task(request, form):
    """The new task from a (quick add or full) task form, or None with the errors on the form."""
    return submit(form, lambda _: services.create_task(user=request.user, **_form_fields(form)))


@login_required
def task_list(request):
    today = UserCalendar.of(request.user, user_settings=request.user_settings).today
    filters = TaskFilterForm(request.GET, user=request.user)
    chosen = filters.filters(today=today)
    tasks = selectors.task_list(user=request.user, filters=chosen, today=today)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "tasks": page.object_list,
        "query": query.urlencode(),
        "today": today,
        "quick_add": QuickAddForm(user=request.user),
    }
    return render_page(request, LIST_TEMPLATE, context, partial="results")


@login_required
@require_POST
def task_quick_add(request):
    """Quick add: the form comes back empty (or with its errors) and the new row joins the list."""
    form = QuickAddForm(request.POST, user=request.user)
    # On a goal's page the form adds to that goal only (its goal is a hidden field).
    goal_locked = request.POST.get("lock_goal") == "1"
    task = _submit_new_task(request, form)
    context = {
        "next": request.POST.get("next", ""),
        "fixed_goal": form.cleaned_data.get("goal") if goal_locked else None,
    }
    if task is None:
        if is_fragment_request(request):
            context["quick_add"] = form
            return render_page(request, LIST_TEMPLATE, context, partial="quick_add", status=INVALID)
        return _invalid_quick_add(request, form)
    if is_fragment_request(request):
        today = UserCalendar.of(request.user, user_settings=request.user_settings).today
        context |= {
            "quick_add": QuickAddForm(user=request.user),
            "task": get_task_row_or_404(request.user, task.pk, today),
            "today": today,
        }
        return render_page(request, LIST_TEMPLATE, context, partial="quick_add_result")
    messages.success(request, f"Added “{task.title}”.")
    return redirect_back(request, "tasks:list")


def _invalid_quick_add(request, form):
    """Without JavaScript a failed quick add shows the full task form, keeping what was typed."""
    full = TaskForm(request.POST, user=request.user)
    full.is_valid()
    for field, errors in form.errors.items():
        if field not in full.errors:
            full.add_error(field if field in full.fields else None, errors)
    return _form_page(request, full, None, status=INVALID)


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request):
    """The full "new task" page (the quick add's no-JavaScript fallback for errors, too)."""
    form = TaskForm(posted(request), user=request.user, initial=request.GET.dict())
    if task := submit(
        form, lambda _: services.create_task(user=request.user, **_form_fields(form))
    ):
        messages.success(request, f"Added “{task.title}”.")
        return redirect_back(request, "tasks:list")
    return _form_page(request, form, None, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    """The task's edit page."""
    task = get_task_or_404(request.user, pk)
    form = edit_form(TaskForm, task, posted(request), user=request.user)
    if submit(form, lambda _: services.update_task(task=task, **_form_fields(form))):
        messages.success(request, "Task saved.")
        return redirect_back(request, "tasks:list")
    return _form_page(request, form, task, status=form_status(form))


@login_required
@require_POST
def task_toggle(request, pk):
    """Tick a task done (`done=true`) or back to open (`done=false`)."""
    task = get_task_or_404(request.user, pk)
    if request.POST.get("done") == "true":
        services.complete_task(task=task)
    else:
        services.reopen_task(task=task)
    if is_fragment_request(request):
        return _row(request, task)
    return redirect_back(request, "tasks:list")


@login_required
@require_http_methods(["GET", "POST"])
def task_title(request, pk):
    """Inline title edit: GET gives the row as a form, POST saves and gives the row back."""
    task = get_task_or_404(request.user, pk)
    if not is_fragment_request(request) and request.method == "GET":
        return redirect("tasks:edit", pk=task.pk)
    form = edit_form(TitleForm, task, posted(request))
    if submit(form, lambda data: services.update_task(task=task, title=data["title"])):
        if is_fragment_request(request):
            return _row(request, task, refocus=True)
        return redirect_back(request, "tasks:list")
    if not is_fragment_request(request):
        # Without JavaScript the edit page shows the error, with every other field as it was.
        data = model_to_dict(task, fields=TaskForm.Meta.fields) | {
            "title": form.data.get("title", "")
        }
        full = TaskForm(data, user=request.user)
        full.is_valid()
        return _form_page(request, full, task, status=INVALID)
    return _row(request, task, title_form=form, status=form_status(form))


@login_required
def task_row(request, pk):
    """The row as it is (what "cancel" of an inline edit swaps back in)."""
    task = get_task_or_404(request.user, pk)
    if not is_fragment_request(request):
        return redirect("tasks:edit", pk=task.pk)
    return _row(request, task, refocus=True)


@login_required
@require_http_methods(["GET", "POST"])
def task_delete(request, pk):
    task = get_task_or_404(request.user, pk)
    if request.method == "GET":
        return render_page(request, "tasks/task_confirm_delete.html", {"task": task})
    title = task.title
    services.delete_task(task=task)
    if is_fragment_request(request):
        return render_page(request, LIST_TEMPLATE, {"deleted_title": title}, partial="task_deleted")
    messages.success(request, f"Deleted “{title}”.")
    return redirect_back(request, "tasks:list")


def _form_page(request, form, task, *, status):
    context = {
        "form": form,
        "task": task,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render_page(request, "tasks/task_form.html", context, status=status)


def _row(request, task, *, title_form=None, refocus=False, status=200):
    """One task's row, read again as rows are (after a write, it shows the stored task).
    `refocus` puts keyboard focus back on its rename button (after an edit, whose input is
    gone); a tick keeps focus by itself, htmx refocusing the same button id."""
    today = UserCalendar.of(request.user, user_settings=request.user_settings).today
    context = {
        "task": get_task_row_or_404(request.user, task.pk, today),
        "today": today,
        "title_form": title_form,
        "refocus": refocus,
    }
    return render_page(request, LIST_TEMPLATE, context, partial="task_row", status=status)
