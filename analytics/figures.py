"""The charts and figure lists of the analytics page and its PDF, each built in one place.

Each function takes what the selectors answer (`get_summary`, `get_goal_tracking`,
`get_productivity`), so the page and the document show the same figure the same way.
"""

import datetime
from collections.abc import Sequence

from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from goals.models import Domain, Source, Status
from lib import charts

from .selectors import EVIDENCE_SOURCES, projection_note

# One line per goal is readable up to the size of the chart palette.
CHARTED_GOALS = len(charts.PALETTE)


def domain_counts(summary: dict) -> list[tuple[str, int]]:
    """`[(domain label, number of goals), ...]` for every domain, in the domains' order."""
    by_domain = summary["goals"]["by_domain"]
    return [(str(label), by_domain[value]) for value, label in Domain.choices]


def domain_chart(summary: dict) -> SafeString:
    return charts.domain_chart(domain_counts(summary))


def charted_goals(goals: Sequence[dict]) -> list[dict]:
    """The goals the progress chart draws: those with a log, as many as the palette has."""
    return [goal for goal in goals if goal["history"]][:CHARTED_GOALS]


def progress_chart(goals: Sequence[dict], tzinfo: datetime.tzinfo) -> SafeString:
    """One line per charted goal of the tracking `goals`, at the owner's local times."""
    return charts.progress_chart(
        [(goal["title"], _local_history(goal, tzinfo)) for goal in charted_goals(goals)]
    )


def _local_history(goal: dict, tzinfo: datetime.tzinfo) -> list[tuple[datetime.datetime, int]]:
    """A tracked goal's progress log as chart points, at the owner's local times."""
    return [
        (timezone.localtime(entry["at"], tzinfo), entry["progress"]) for entry in goal["history"]
    ]


def completions_chart(productivity: dict) -> SafeString:
    return charts.completions_chart(
        [(day["date"], day["completed"]) for day in productivity["series"]]
    )


def score_chart(productivity: dict) -> SafeString:
    return charts.score_chart([(day["date"], day["score"]) for day in productivity["series"]])


def projection(goal: dict) -> str:
    """Where a tracked goal is heading, in one sentence: when it was completed, when it will be
    at its current pace, or why there is no date."""
    when = goal["projected_completion"]
    if when is None:
        return projection_note(goal["projection_reason"])
    day = formats.date_format(when, "DATE_FORMAT")
    if goal["status"] == Status.COMPLETED:
        return _("Completed on %(day)s.") % {"day": day}
    return _("At the current pace, complete by %(day)s.") % {"day": day}


def evidence_totals(goals: Sequence[dict]) -> list[tuple[str, int]]:
    """Where the goals' progress came from: (source label, check-ins) for each evidence source
    that wrote any, most first."""
    totals = {
        source: sum(goal["evidence"][source] for goal in goals) for source in EVIDENCE_SOURCES
    }
    labels = dict(Source.choices)
    return sorted(
        ((str(labels[source]), count) for source, count in totals.items() if count),
        key=lambda pair: -pair[1],
    )
