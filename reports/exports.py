"""The CSV export: a ZIP archive with one CSV per table, written in bounded memory.

Why a ZIP of four files rather than one CSV: plans, goals, tasks and progress entries have
different columns, and a spreadsheet opens each file as a clean table with its own header.

The cells:
- UTF-8; with `bom=True` each file starts with a byte-order mark, so Excel detects UTF-8.
- Dates are ISO 8601 (`2026-03-01`); timestamps ISO 8601 in UTC (`2026-03-01T09:30:00+00:00`).
- Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a
  carriage return) gets a leading apostrophe, which spreadsheets show as plain text.
- Ids are the UUIDs of the API; an empty cell is a missing value.

Rows come from `.iterator(chunk_size=...)` (a server-side cursor on PostgreSQL) and go straight
into the compressed archive, so memory stays flat whatever the number of rows.
"""

import csv
import datetime
import io
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from goals.models import Goal, ProgressEntry
from plans.models import Plan
from tasks.models import Task

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def cell(value):
    """One value as a CSV cell: ISO dates and times, and text that cannot act as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Table:
    filename: str
    columns: tuple[str, ...]
    rows: Callable[..., QuerySet]  # the user's rows, in export order

    def queryset(self, user):
        return self.rows(user).values_list(*self.columns)


TABLES = (
    Table(
        "plans.csv",
        (
            "id",
            "title",
            "description",
            "vision",
            "start_date",
            "end_date",
            "progress",
            "goal_count",
            "created_at",
            "updated_at",
        ),
        lambda user: Plan.objects.owned_by(user).with_progress().order_by("created_at", "pk"),
    ),
    Table(
        "goals.csv",
        (
            "id",
            "plan_id",
            "plan__title",
            "title",
            "description",
            "domain",
            "status",
            "progress",
            "measure",
            "unit",
            "direction",
            "start_value",
            "target_value",
            "current_value",
            "target_date",
            "completed_at",
            "created_at",
            "updated_at",
        ),
        lambda user: Goal.objects.owned_by(user).order_by("created_at", "pk"),
    ),
    Table(
        "tasks.csv",
        (
            "id",
            "goal_id",
            "goal__title",
            "title",
            "description",
            "priority",
            "due_date",
            "is_completed",
            "completed_at",
            "created_at",
            "updated_at",
        ),
        lambda user: (
            Task.objects.owned_by(user)
            .annotate(
                is_completed=ExpressionWrapper(
                    Q(completed_at__isnull=False), output_field=BooleanField()
                )
            )
            .order_by("created_at", "pk")
        ),
    ),
    Table(
        "progress_entries.csv",
        (
            "id",
            "goal_id",
            "goal__title",
            "value",
            "key_result__title",
            "metric_value",
            "status",
            "note",
            "evidence_url",
            "source",
            "source_ref",
            "created_at",
            "updated_at",
        ),
        lambda user: ProgressEntry.objects.filter(goal__user=user).order_by("created_at", "pk"),
    ),
)


def header(table: Table) -> list[str]:
    # `plan__title` reads better as `plan_title` in a spreadsheet.
    return [column.replace("__", "_") for column in table.columns]


def write_archive(user, fileobj, *, bom: bool = False, chunk_size: int = CHUNK_SIZE) -> int:
    """Write the user's export as a ZIP into `fileobj`; returns the number of data rows."""
    encoding = "utf-8-sig" if bom else "utf-8"
    rows = 0
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            with (
                archive.open(table.filename, "w", force_zip64=True) as member,
                io.TextIOWrapper(member, encoding=encoding, newline="") as text,
            ):
                writer = csv.writer(text)
                writer.writerow(header(table))
                for row in table.queryset(user).iterator(chunk_size=chunk_size):
                    writer.writerow([cell(value) for value in row])
                    rows += 1
    return rows
