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
import itertools
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    ExpressionWrapper,
    Field,
    FloatField,
    Q,
    QuerySet,
    TextField,
)

from goals.models import Goal, ProgressEntry
from plans.models import Plan
from tasks.models import Task

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


# One converter per kind of column, chosen once per table from the column's model field: the
# csv module already writes None as an empty cell and ints, decimals, dates (ISO) and UUIDs
# with `str()`, so only these kinds need Python per value.
def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def _timestamp(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat()


def _boolean(value: bool) -> str:
    return "true" if value else "false"


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def converter(field: Field) -> Callable | None:
    """How a column of this model field becomes a CSV cell, or None when the csv module's own
    `str()` already writes it right (None as an empty cell)."""
    if isinstance(field, BooleanField):
        return _boolean
    if isinstance(field, DateTimeField):
        return _timestamp
    if isinstance(field, FloatField):
        return _number
    if isinstance(field, CharField | TextField):
        return _text
    return None


def column_field(queryset: QuerySet, column: str) -> Field:
    if column in queryset.query.annotations:
        return queryset.query.annotations[column].output_field
    model = queryset.model
    *relations, name = column.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def row_converter(queryset: QuerySet, columns: tuple[str, ...]) -> Callable[[tuple], list]:
    """A function turning one `values_list` row of these columns into its CSV cells."""
    converters = [
        (index, convert)
        for index, column in enumerate(columns)
        if (convert := converter(column_field(queryset, column))) is not None
    ]

    def convert_row(row: tuple) -> list:
        cells = list(row)
        for index, convert in converters:
            value = cells[index]
            if value is not None:
                cells[index] = convert(value)
        return cells

    return convert_row


@dataclass(frozen=True)
class Table:
    filename: str
    columns: tuple[str, ...]
    rows: Callable[..., QuerySet]  # the user's rows, in export order


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
                queryset = table.rows(user)
                convert_row = row_converter(queryset, table.columns)
                values = queryset.values_list(*table.columns).iterator(chunk_size=chunk_size)
                for chunk in itertools.batched(values, chunk_size, strict=False):
                    writer.writerows(map(convert_row, chunk))
                    rows += len(chunk)
    return rows
