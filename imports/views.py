from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.web import INVALID, form_status, posted, render_page

from . import services
from .forms import UploadForm
from .selectors import get_import_or_404, preview, recent_imports

PAGE = "imports/import.html"


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    """Choose a file; one without problems goes on to its preview, else its problems show."""
    form = UploadForm(posted(request), request.FILES or None)
    problems = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        job, parsed = services.preview_import(
            user=request.user, filename=upload.name, content=upload.read()
        )
        if job is not None:
            return redirect(job)
        problems = parsed.problems
    context = {"form": form, "problems": problems, "jobs": recent_imports(request.user)}
    status = INVALID if problems else form_status(form)
    return render_page(request, PAGE, context, status=status)


@login_required
@require_GET
def detail(request, pk):
    """The preview of a file, then its progress (htmx polls the `status` partial), then the
    report of what was imported."""
    job = get_import_or_404(request.user, pk)
    context = {"job": job, "preview": preview(job) if job.status == "preview" else None}
    return render_page(request, "imports/import_detail.html", context, partial="status")


@login_required
@require_POST
def start(request, pk):
    job = services.start_import(job=get_import_or_404(request.user, pk))
    return redirect(job)


@login_required
@require_POST
def cancel(request, pk):
    if services.cancel_import(job=get_import_or_404(request.user, pk)):
        messages.info(request, gettext("Import cancelled: nothing was imported."))
        return redirect("imports:upload")
    messages.info(request, gettext("This import has already started."))
    return redirect("imports:detail", pk=pk)
