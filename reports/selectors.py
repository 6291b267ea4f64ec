from django.db.models import CharField, OuterRef, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from lib.shortcuts import get_or_404
from plans.models import Plan

from .models import ReportJob

RECENT_JOBS = 20


def jobs_of(user):
    return ReportJob.objects.owned_by(user)


def _with_plan_titles(jobs):
    """`plan_title`: the title of the plan a plan report is of (None once the plan is gone)."""
    plans = Plan.objects.annotate(ref=Cast("pk", CharField())).filter(
        user=OuterRef("owner"), ref=OuterRef("plan_ref")
    )
    return jobs.annotate(plan_ref=KT("parameters__plan")).annotate(
        plan_title=Subquery(plans.values("title")[:1])
    )


def recent_jobs(user):
    """The user's latest jobs, newest first, for the exports page (one query)."""
    return _with_plan_titles(jobs_of(user)).order_by("-created_at")[:RECENT_JOBS]


def get_job_or_404(user, pk) -> ReportJob:
    """The user's job; another user's job (or a malformed id) is a 404."""
    return get_or_404(_with_plan_titles(jobs_of(user)), pk)
