from goals.models import Goal
from lib.shortcuts import get_or_404
from tasks.models import Label

from .models import ImportJob
from .parsers import Row, distinct_names


def get_import_or_404(user, pk) -> ImportJob:
    """The user's import job; any other (or a malformed id) is a 404."""
    return get_or_404(ImportJob.objects.owned_by(user), pk)


def recent_imports(user, limit=5):
    return ImportJob.objects.owned_by(user).defer("rows")[:limit]


def preview(job: ImportJob) -> dict:
    """What the job will write: its rows, and which of their goals and labels are new."""
    rows = [Row.from_json(data) for data in job.rows]
    goals = distinct_names(row.goal for row in rows if row.goal)
    labels = distinct_names(label for row in rows for label in row.labels)
    known_goals = {
        title.casefold()
        for title in Goal.objects.owned_by(job.user).values_list("title", flat=True)
    }
    known_labels = {
        name.casefold() for name in Label.objects.owned_by(job.user).values_list("name", flat=True)
    }
    return {
        "rows": rows,
        "subtasks": sum(len(row.subtasks) for row in rows),
        "new_goals": [name for name in goals if name.casefold() not in known_goals],
        "known_goals": [name for name in goals if name.casefold() in known_goals],
        "new_labels": [name for name in labels if name.casefold() not in known_labels],
        "known_labels": [name for name in labels if name.casefold() in known_labels],
    }
