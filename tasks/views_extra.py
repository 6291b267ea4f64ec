"""The task pages of labels, checklists and quick add's preview (tasks.views has the list and
the task forms). Every interaction is a plain form post that htmx enhances."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

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

from . import recurrence, services
from .forms import MAX_QUICK_ADD_LINE, LabelForm, SubtaskForm
from .selectors import (
    get_label_or_404,
    get_subtask_or_404,
    get_task_or_404,
    labels_of,
    parse_for,
    subtasks_of,
)

LABELS_TEMPLATE = "tasks/labels.html"
FORM_TEMPLATE = "tasks/task_form.html"
PREVIEW_TEMPLATE = "tasks/quick_add_preview.html"


# --- Quick add's preview ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def quick_add_preview(request):
    """What quick add understands from the line: under the input as one types (htmx), or
    without JavaScript a page with the line, what it says, and the button that adds it."""
    data = request.POST if request.method == "POST" else request.GET
    text = data.get("title", "")[:MAX_QUICK_ADD_LINE]
    parsed = parse_for(user=request.user, text=text) if text.strip() else None
    known = set()
    if parsed and parsed.labels:
        known = {name.casefold() for name in labels_of(request.user).values_list("name", flat=True)}
    context = {
        "text": text,
        "parsed": parsed,
        "new_labels": [
            name for name in (parsed.labels if parsed else []) if name.casefold() not in known
        ],
        "repeat_text": recurrence.describe(parsed.recurrence)
        if parsed and parsed.recurrence
        else "",
        "next": data.get("next", ""),
    }
    return render_page(request, PREVIEW_TEMPLATE, context, partial="preview")


@login_required
@require_POST
def task_skip(request, pk):
    """Skip the current occurrence of a recurring task: it moves to its next date."""
    task = get_task_or_404(request.user, pk)
    try:
        services.skip_occurrence(task=task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("Skipped; “%(title)s” is next due %(date)s.")
            % {"title": task.title, "date": date_filter(task.due_date, "MONTH_DAY_FORMAT")},
        )
    return redirect_back(request, "tasks:list")


# --- Labels ----------------------------------------------------------------------------------


def _labels_page(request, *, form=None, editing=None, label_form=None, status=200):
    context = {
        "labels": labels_of(request.user),
        "form": form or LabelForm(),
        "editing": editing,
        "edit_form": label_form,
    }
    return render_page(request, LABELS_TEMPLATE, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def label_list(request):
    """The user's labels, and a form to add one."""
    form = LabelForm(posted(request))
    if label := submit(form, lambda data: services.create_label(user=request.user, **data)):
        messages.success(request, gettext("Added the label “%(name)s”.") % {"name": label.name})
        return redirect("tasks:labels")
    return _labels_page(request, form=form, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def label_edit(request, pk):
    """Rename or recolour a label: its row becomes a form (htmx), or the page shows it."""
    label = get_label_or_404(request.user, pk)
    form = edit_form(LabelForm, label, posted(request), auto_id=f"label-{label.pk}-%s")
    if submit(form, lambda data: services.update_label(label=label, **data)):
        if is_fragment_request(request):
            return render_page(request, LABELS_TEMPLATE, {"label": label}, partial="label_row")
        messages.success(request, gettext("Label saved."))
        return redirect("tasks:labels")
    if is_fragment_request(request):
        context = {"label": label, "edit_form": form, "editing": label}
        return render_page(
            request, LABELS_TEMPLATE, context, partial="label_row", status=form_status(form)
        )
    return _labels_page(request, editing=label, label_form=form, status=form_status(form))


@login_required
@require_GET
def label_row(request, pk):
    """The label's row as it is (what "cancel" of an edit swaps back in)."""
    label = get_label_or_404(request.user, pk)
    if not is_fragment_request(request):
        return redirect("tasks:labels")
    return render_page(request, LABELS_TEMPLATE, {"label": label}, partial="label_row")


@login_required
@require_POST
def label_delete(request, pk):
    """Delete a label; its tasks stay, without it."""
    label = get_label_or_404(request.user, pk)
    name = label.name
    services.delete_label(label=label)
    if is_fragment_request(request):
        return render_page(request, LABELS_TEMPLATE, {"deleted": name}, partial="label_deleted")
    messages.success(
        request, gettext("Deleted the label “%(name)s”; its tasks keep the rest.") % {"name": name}
    )
    return redirect("tasks:labels")


# --- Checklist -------------------------------------------------------------------------------


def _checklist(request, task, *, form=None, status=200):
    """The task's checklist: the edit page's `checklist` partial, or back to the page."""
    if is_fragment_request(request):
        context = {
            "task": task,
            "subtasks": subtasks_of(task),
            "subtask_form": form or SubtaskForm(),
        }
        return render_page(request, FORM_TEMPLATE, context, partial="checklist", status=status)
    if form is not None and form.errors:
        # Without JavaScript: the edit page again, saying why (the title field has maxlength,
        # so what goes wrong is an empty one).
        messages.error(request, " ".join(form.errors.get("title", [gettext("Check the item.")])))
    return redirect_back(request, "tasks:list")


@login_required
@require_POST
def subtask_add(request, pk):
    task = get_task_or_404(request.user, pk)
    form = SubtaskForm(request.POST)
    if submit(form, lambda data: services.add_subtask(task=task, title=data["title"])):
        return _checklist(request, task)
    return _checklist(request, task, form=form, status=INVALID)


@login_required
@require_POST
def subtask_toggle(request, pk, subtask_pk):
    """Tick an item done (`done=true`) or back (`done=false`), in place."""
    task = get_task_or_404(request.user, pk)
    subtask = get_subtask_or_404(task, subtask_pk)
    services.update_subtask(subtask=subtask, done=request.POST.get("done") == "true")
    return _checklist(request, task)


@login_required
@require_POST
def subtask_move(request, pk, subtask_pk):
    """Move an item one place up (`direction=up`) or down."""
    task = get_task_or_404(request.user, pk)
    subtask = get_subtask_or_404(task, subtask_pk)
    services.move_subtask(subtask=subtask, up=request.POST.get("direction") == "up")
    return _checklist(request, task)


@login_required
@require_POST
def subtask_delete(request, pk, subtask_pk):
    task = get_task_or_404(request.user, pk)
    services.delete_subtask(subtask=get_subtask_or_404(task, subtask_pk))
    return _checklist(request, task)
