from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lib.web import INVALID, is_fragment_request, render_page
from plans.selectors import get_plan_or_404

from . import services
from .downloads import download_response
from .errors import QuotaExceeded
from .forms import ExportForm
from .selectors import get_job_or_404, recent_jobs

PAGE = "reports/exports.html"


def _page(request, *, form, job=None, status=200):
    """The whole page, or for htmx polling the `job-status` partial of `job`."""
    context = {
        "form": form,
        "job": job,
        "jobs": recent_jobs(request.user),
        "keep_days": settings.REPORTS_KEEP_DAYS,
        "refresh_recent": job is not None and is_fragment_request(request),
    }
    return render_page(request, PAGE, context, partial="job-status" if job else None, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def exports(request):
    """The exports page; its form asks for an analytics export (PDF, or CSV in a ZIP)."""
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _page(request, form=form)
    if not form.is_valid():
        if is_fragment_request(request):
            response = render_page(
                request, PAGE, {"form": form}, partial="export-form", status=INVALID
            )
            response["HX-Retarget"] = "#export-form"
            response["HX-Reswap"] = "outerHTML"
            return response
        return _page(request, form=form, status=INVALID)
    try:
        job = services.request_analytics_export(user=request.user, **form.cleaned_data)
    except QuotaExceeded as exc:
        messages.error(request, str(exc))
        return _page(request, form=form, status=429)
    if is_fragment_request(request):
        context = {"job": job, "jobs": recent_jobs(request.user), "refresh_recent": True}
        response = render_page(request, PAGE, context, partial="job-status")
        response["HX-Push-Url"] = job.get_absolute_url()
        return response
    return redirect(job)


@login_required
@require_GET
def job_detail(request, pk):
    """The exports page showing one job; htmx polls its `job-status` partial until it ends."""
    return _page(request, form=ExportForm(), job=get_job_or_404(request.user, pk))


@login_required
@require_POST
def plan_report(request, pk):
    """ "Download PDF" on a plan: ask for its report, then follow its progress."""
    plan = get_plan_or_404(request.user, pk)
    try:
        return redirect(services.request_plan_report(user=request.user, plan=plan))
    except QuotaExceeded as exc:
        messages.error(request, str(exc))
        return _page(request, form=ExportForm(), status=429)


@login_required
@require_GET
def download(request, pk):
    job = get_job_or_404(request.user, pk)
    if not job.is_ready:
        messages.info(request, gettext("This report is not ready yet."))
        return redirect(job)
    return download_response(job)
