from lib.shortcuts import get_or_404

from .models import ReportJob

RECENT_JOBS = 20


def jobs_of(user):
    return ReportJob.objects.owned_by(user)


def recent_jobs(user):
    """The user's latest jobs, newest first, for the exports page (one query)."""
    return jobs_of(user).order_by("-created_at")[:RECENT_JOBS]


def get_job_or_404(user, pk) -> ReportJob:
    """The user's job; another user's job (or a malformed id) is a 404."""
    return get_or_404(jobs_of(user), pk)
