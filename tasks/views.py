import datetime
import json
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, ngettext
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

from . import bulk, planner, selectors, services, undo, views_extra
from .forms import BulkForm, QuickAddForm, SubtaskForm, TaskFilterForm, TaskForm, TitleForm
from .selectors import completions_of, get_task_or_404, get_task_row_or_404, subtasks_of

LIST_TEMPLATE = "tasks/task_list.html"
PAGE_SIZE = 50
# Completions the edit page lists (newest first).
RECENT_COMPLETIONS = 10


def _submit_quick_add(request, form):
    """The new task from the quick add line, or None with the errors on the form."""
    return submit(
        form,
        lambda data: services.quick_add(
            user=request.user, text=data["title"], due_date=data["due_date"], goal=data["goal"]
        ),
    )


@login_required
def task_list(request):
    today = UserCalendar.of(request.user, user_settings=request.user_settings).today
    # Nothing below is read unless the page's cached fragment (under the user's version token)
    # misses: forms and the page of tasks are built on first use.
    filters = SimpleLazyObject(lambda: TaskFilterForm(request.GET, user=request.user))

    def page_of_tasks():
        chosen = filters.filters(today=today)
        tasks = selectors.task_list(user=request.user, filters=chosen, today=today)
        return Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))

    page = SimpleLazyObject(page_of_tasks)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "tasks": SimpleLazyObject(lambda: page.object_list),
        "query": query.urlencode(),
        "today": today,
        "quick_add": SimpleLazyObject(lambda: QuickAddForm(user=request.user)),
        "bulk_form": SimpleLazyObject(lambda: BulkForm(user=request.user)),
    }
    return render_page(request, LIST_TEMPLATE, context, partial="results")


@login_required
@require_POST
def task_quick_add(request):
    """Quick add: the form comes back empty (or with its errors) and the new row joins the list."""
    form = QuickAddForm(request.POST, user=request.user)
    # On a goal's page the form adds to that goal only (its goal is a hidden field).
    goal_locked = request.POST.get("lock_goal") == "1"
    if request.POST.get("preview"):
        # Without JavaScript, "Preview" shows what the line says, saving nothing.
        return views_extra.quick_add_preview(request)
    task = _submit_quick_add(request, form)
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
    messages.success(request, gettext("Added “%(title)s”.") % {"title": task.title})
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
        form, lambda _: services.create_task(user=request.user, **form.service_fields())
    ):
        messages.success(request, gettext("Added “%(title)s”.") % {"title": task.title})
        return redirect_back(request, "tasks:list")
    return _form_page(request, form, None, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    """The task's edit page."""
    task = get_task_or_404(request.user, pk)
    form = edit_form(TaskForm, task, posted(request), user=request.user)
    if submit(form, lambda _: services.update_task(task=task, **form.service_fields())):
        messages.success(request, gettext("Task saved."))
        return redirect_back(request, "tasks:list")
    return _form_page(request, form, task, status=form_status(form))


@login_required
@require_POST
def task_toggle(request, pk):
    """Tick a task done (`done=true`) or back to open (`done=false`); the toast offers Undo."""
    task = get_task_or_404(request.user, pk)
    before = undo.snapshot([task])
    if request.POST.get("done") == "true":
        services.complete_task(task=task)
        text = gettext("Completed “%(title)s”.") % {"title": task.title}
        if task.is_recurring and not task.is_completed and task.due_date:
            text = gettext("Completed “%(title)s”; next on %(date)s.") % {
                "title": task.title,
                "date": formats.date_format(task.due_date, "MONTH_DAY_FORMAT"),
            }
    else:
        services.reopen_task(task=task)
        text = gettext("Reopened “%(title)s”.") % {"title": task.title}
    toast = offer_undo(request, text, before)
    if is_fragment_request(request):
        return _row(request, task, toast=toast)
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
    """Delete at once (no "are you sure?"): the toast offers Undo instead. A GET, from an old
    link, asks first."""
    task = get_task_or_404(request.user, pk)
    if request.method == "GET":
        return render_page(request, "tasks/task_confirm_delete.html", {"task": task})
    task_id, title, before = task.pk, task.title, undo.snapshot([task])
    services.delete_task(task=task)
    toast = offer_undo(request, gettext("Deleted “%(title)s”.") % {"title": title}, before)
    if is_fragment_request(request):
        context = {"deleted_title": title, "deleted_id": task_id, "toast": toast}
        return render_page(request, LIST_TEMPLATE, context, partial="task_deleted")
    return redirect_back(request, "tasks:list")


def _form_page(request, form, task, *, status):
    context = {
        "form": form,
        "task": task,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    if task is not None:
        context |= {
            "subtasks": subtasks_of(task),
            "subtask_form": SubtaskForm(),
            "completions": completions_of(task)[:RECENT_COMPLETIONS],
        }
    return render_page(request, "tasks/task_form.html", context, status=status)


def _row(request, task, *, title_form=None, refocus=False, toast=None, status=200):
    """One task's row, read again as rows are (after a write, it shows the stored task).
    `refocus` puts keyboard focus back on its rename button (after an edit, whose input is
    gone); a tick keeps focus by itself, htmx refocusing the same button id."""
    today = UserCalendar.of(request.user, user_settings=request.user_settings).today
    context = {
        "task": get_task_row_or_404(request.user, task.pk, today),
        "today": today,
        "title_form": title_form,
        "refocus": refocus,
        "toast": toast,
    }
    return render_page(request, LIST_TEMPLATE, context, partial="task_row", status=status)


# --- Undo -------------------------------------------------------------------------------------

# The changes a user may still undo, newest last, in their session (so only they can).
UNDO_SESSION_KEY = "task_changes"
UNDO_KEPT = 5
# An undo is offered for a few seconds; this is how long it still works from an open page.
UNDO_FOR = datetime.timedelta(minutes=10)
# What tells the page's task lists to read themselves again (base.html's `hx-trigger`s).
TASKS_CHANGED = "tasks-changed"


def offer_undo(request, text: str, state) -> dict:
    """Keep `state` (an `undo.snapshot`) to be restored, and say what happened: the toast of
    an htmx answer, or without JavaScript the message (with its Undo) on the next page."""
    token = secrets.token_urlsafe(12) if state else ""
    if state:
        kept = [
            change
            for change in request.session.get(UNDO_SESSION_KEY, [])
            if _still_undoable(change)
        ]
        change = {"token": token, "text": text, "at": timezone.now().isoformat(), "state": state}
        request.session[UNDO_SESSION_KEY] = [*kept[-(UNDO_KEPT - 1) :], change]
    if not is_fragment_request(request):
        messages.success(request, text, extra_tags="undo" if token else "")
    return {"text": text, "undo": token}


def _still_undoable(change) -> bool:
    return timezone.now() - datetime.datetime.fromisoformat(change["at"]) < UNDO_FOR


def _take_change(request, token: str):
    """The kept change of `token` (the latest without one), taken out of the session."""
    kept = [c for c in request.session.get(UNDO_SESSION_KEY, []) if _still_undoable(c)]
    found = next((c for c in reversed(kept) if c["token"] == token), None) if token else None
    if not token and kept:
        found = kept[-1]
    request.session[UNDO_SESSION_KEY] = [c for c in kept if c is not found]
    return found


def _changed(request, toast: dict, *, status=200):
    """The htmx answer to a change of several tasks: the toast, out of band, and the event
    on which the page's task lists read themselves again."""
    response = render(request, "includes/toast.html", {"toast": toast, "oob": True}, status=status)
    response["HX-Trigger"] = TASKS_CHANGED
    return response


@login_required
@require_POST
def task_undo(request):
    """Undo a change offered in a toast (`change` names it; without, the latest)."""
    change = _take_change(request, request.POST.get("change", ""))
    if change is None:
        text = gettext("That change can no longer be undone.")
        restored = []
    else:
        restored = undo.restore(user=request.user, state=change["state"])
        text = gettext("Undone: %(change)s") % {
            "change": change["text"][0].lower() + change["text"][1:]
        }
    toast = {"text": text, "undo": ""}
    if is_fragment_request(request):
        response = _changed(request, toast)
        if restored:
            response["HX-Trigger"] = json.dumps(
                {TASKS_CHANGED: {"focus": f"task-{restored[0].pk}"}}
            )
        return response
    (messages.success if restored else messages.info)(request, text)
    return redirect_back(request, "tasks:list")


# --- Bulk actions -----------------------------------------------------------------------------


@login_required
@require_POST
def task_bulk(request):
    """The bulk bar: complete, move, label, reschedule or delete the ticked tasks at once."""
    form = BulkForm(request.POST, user=request.user)
    if not form.is_valid():
        text = " ".join(str(message) for errors in form.errors.values() for message in errors)
        if is_fragment_request(request):
            return _changed(request, {"text": text, "undo": ""}, status=INVALID)
        messages.error(request, text)
        return redirect_back(request, "tasks:list")
    data = form.cleaned_data
    ids = [task.pk for task in data["tasks"]]
    before = undo.snapshot(data["tasks"])
    try:
        text = _bulk_change(request.user, data["action"], ids, data)
    except ValidationError as error:
        text = " ".join(error.messages)
        if is_fragment_request(request):
            return _changed(request, {"text": text, "undo": ""}, status=INVALID)
        messages.error(request, text)
        return redirect_back(request, "tasks:list")
    toast = offer_undo(request, text, before)
    if is_fragment_request(request):
        return _changed(request, toast)
    return redirect_back(request, "tasks:list")


def _bulk_change(user, action, ids, data) -> str:
    """Apply one bulk action through its service; what happened, in words."""
    n = len(ids)
    if action == BulkForm.COMPLETE:
        bulk.complete_tasks(user=user, task_ids=ids)
        return ngettext("Completed %(n)d task.", "Completed %(n)d tasks.", n) % {"n": n}
    if action == BulkForm.MOVE:
        bulk.move_tasks(user=user, task_ids=ids, goal=data["goal"])
        goal = data["goal"]
        if goal:
            return ngettext(
                "Moved %(n)d task to “%(goal)s”.", "Moved %(n)d tasks to “%(goal)s”.", n
            ) % {"n": n, "goal": goal.title}
        return ngettext(
            "Took %(n)d task out of its goal.", "Took %(n)d tasks out of their goal.", n
        ) % {"n": n}
    if action in (BulkForm.LABEL, BulkForm.UNLABEL):
        remove = action == BulkForm.UNLABEL
        bulk.label_tasks(user=user, task_ids=ids, label=data["label"], remove=remove)
        values = {"n": n, "label": data["label"].name}
        if remove:
            return (
                ngettext("Took %(n)d task off “%(label)s”.", "Took %(n)d tasks off “%(label)s”.", n)
                % values
            )
        return (
            ngettext(
                "Labelled %(n)d task with “%(label)s”.", "Labelled %(n)d tasks with “%(label)s”.", n
            )
            % values
        )
    if action == BulkForm.RESCHEDULE:
        bulk.reschedule_tasks(user=user, task_ids=ids, due_date=data["due_date"])
        due = data["due_date"]
        if due is None:
            return ngettext(
                "Took the date off %(n)d task.", "Took the date off %(n)d tasks.", n
            ) % {"n": n}
        return ngettext("Moved %(n)d task to %(date)s.", "Moved %(n)d tasks to %(date)s.", n) % {
            "n": n,
            "date": formats.date_format(due, "MONTH_DAY_FORMAT"),
        }
    bulk.delete_tasks(user=user, task_ids=ids)
    return ngettext("Deleted %(n)d task.", "Deleted %(n)d tasks.", n) % {"n": n}


# --- Calendar and board -----------------------------------------------------------------------

CALENDAR_VIEWS = ("month", "week")
BOARD_GROUPS = ("status", "goal")
# The task list filters that show exactly a board column's tasks.
STATUS_COLUMN_FILTERS = {
    "overdue": "overdue",
    "today": "today",
    "upcoming": "later",
    "none": "none",
}


def _user_today(request):
    return UserCalendar.of(request.user, user_settings=request.user_settings).today


@login_required
def task_calendar(request):
    """A month (or, with `view=week`, a week) of tasks and goal targets around `date`."""
    today = _user_today(request)
    view = request.GET.get("view")
    view = view if view in CALENDAR_VIEWS else "month"
    try:
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = today
    # Whole months and weeks either side must stay within the years a date can have.
    day = min(max(day, datetime.date(1, 2, 1)), datetime.date(9999, 11, 30))
    page = planner.calendar_page(
        user=request.user,
        view=view,
        day=day,
        today=today,
        week_start=request.user_settings.week_start,
    )
    context = {"page": page, "today": today}
    return render_page(request, "tasks/calendar.html", context, partial="calendar")


@login_required
def task_board(request):
    """Open tasks in columns, by status (`by=status`, when they are due) or by goal."""
    today = _user_today(request)
    by = request.GET.get("by")
    by = by if by in BOARD_GROUPS else "status"
    list_url = reverse("tasks:list")
    if by == "goal":
        columns = planner.board_by_goal(user=request.user)
        for column in columns:
            column.more_url = f"{list_url}?goal={column.goal.pk}" if column.goal else ""
    else:
        columns = planner.board_by_status(user=request.user, today=today)
        for column in columns:
            column.more_url = f"{list_url}?due={STATUS_COLUMN_FILTERS[column.key]}"
    context = {"by": by, "columns": columns, "today": today, "next": request.get_full_path()}
    return render_page(request, "tasks/board.html", context, partial="board")
