"""One search over a user's plans, goals, tasks and check-in notes, best match first.

PostgreSQL ranks with full-text search (`simple` configuration, so English and Ukrainian words
match alike, every word a prefix so results follow the typing); other databases (SQLite in
development) fall back to case-insensitive substring matches. Either way a match in a title
outranks any match in a description or note.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Expression, F, FloatField, Model, Q, UUIDField, Value, When
from django.db.models.functions import Cast
from django.urls import reverse

from goals.models import Goal, ProgressEntry
from plans.models import Plan
from tasks.models import Task

from .documents import CONFIG, document

MAX_QUERY_LENGTH = 200
# The bonus of a title match: full-text ranks are normalised into [0, 1), so it beats them all.
TITLE_MATCH = 1.0

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Source:
    kind: str
    model: type[Model]
    title: str
    body: tuple[str, ...]
    owner: str = "user"
    parent: str | None = None


# What is searched, and how a hit is titled: a check-in is titled by its note.
SOURCES = (
    Source("plan", Plan, "title", ("description", "vision")),
    Source("goal", Goal, "title", ("description",)),
    Source("task", Task, "title", ("description",)),
    Source("checkin", ProgressEntry, "note", (), owner="goal__user", parent="goal_id"),
)


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())[:20]


@dataclass(frozen=True)
class Hit:
    type: str
    id: str
    title: str
    url: str


def search(*, user, query: str):
    """The user's matching rows as one queryset of dicts, best first (empty for no words).

    Each row is `{kind, hit_id, hit_title, parent, score}`; `hit(row)` makes it a `Hit`.
    """
    terms = words(query)
    if not terms:
        return Plan.objects.none().values()
    matcher = _postgres_rows if connection.vendor == "postgresql" else _substring_rows
    parts = [matcher(source, user, terms) for source in SOURCES]
    return parts[0].union(*parts[1:], all=True).order_by("-score", "hit_title", "hit_id")


def _postgres_rows(source: Source, user, terms: list[str]):
    # Each word is a prefix ("budg" finds "budget"); the words are \w+ only, so the raw
    # tsquery syntax cannot be injected.
    query = SearchQuery(" & ".join(f"{term}:*" for term in terms), config=CONFIG, search_type="raw")
    rows = source.model._default_manager.annotate(document=document(source.title, *source.body))
    # normalization 32 maps a rank r to r / (r + 1), below the title bonus
    score: Expression = SearchRank(F("document"), query, normalization=32)
    if source.body:
        rows = rows.annotate(title_document=SearchVector(source.title, config=CONFIG))
        score = score + Case(
            When(title_document=query, then=Value(TITLE_MATCH)), default=Value(0.0)
        )
    return _rows_of(rows, source, user, Q(document=query), score)


def _substring_rows(source: Source, user, terms: list[str]):
    fields = (source.title, *source.body)
    matches = Q()
    for term in terms:
        matches &= Q.create(
            [(f"{field}__icontains", form) for field in fields for form in _letter_cases(term)],
            connector=Q.OR,
        )
    # Every row found scores 0.5, plus the share of the words its title holds (0 to 1).
    score: Expression = Value(0.5)
    if source.body:
        for term in terms:
            in_title = Q.create(
                [(f"{source.title}__icontains", form) for form in _letter_cases(term)],
                connector=Q.OR,
            )
            score = score + Case(
                When(in_title, then=Value(TITLE_MATCH / len(terms))), default=Value(0.0)
            )
    return _rows_of(source.model._default_manager.all(), source, user, matches, score)


def _letter_cases(term: str) -> set[str]:
    """SQLite's LIKE ignores the case of ASCII letters only: "хліб" must also be looked for
    as "Хліб" and "ХЛІБ"."""
    return {term, term.capitalize(), term.upper()}


def _rows_of(rows, source, user, matches, score):
    # A typed NULL: PostgreSQL types an untyped one as text, which a uuid cannot join in a UNION.
    parent = F(source.parent) if source.parent else Cast(Value(None), UUIDField())
    return (
        rows.filter(matches, **{source.owner: user})
        .annotate(
            kind=Value(source.kind),
            hit_id=F("pk"),
            hit_title=F(source.title),
            parent=parent,
            score=Cast(score, FloatField()),
        )
        .values("kind", "hit_id", "hit_title", "parent", "score")
        .order_by()
    )


# The page each kind of hit links to (a check-in: its goal's page, at the entry).
PAGES = {"plan": "plans:detail", "goal": "goals:detail", "task": "tasks:edit"}


def hit(row) -> Hit:
    kind, pk = row["kind"], row["hit_id"]
    if kind == "checkin":
        url = reverse("goals:detail", args=[row["parent"]]) + f"#check-in-{pk}"
    else:
        url = reverse(PAGES[kind], args=[pk])
    title = " ".join(row["hit_title"].split())
    return Hit(
        type=kind, id=str(pk), title=title[:120] + ("…" if len(title) > 120 else ""), url=url
    )
