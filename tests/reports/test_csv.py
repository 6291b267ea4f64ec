"""The CSV export: a ZIP with one CSV per table, parsed back with the csv module."""

import csv
import datetime
import io
import uuid

import pytest
from django.db.models import BooleanField, CharField, DateField, FloatField, TextField, UUIDField
from django.utils import timezone

from goals.factories import GoalFactory
from plans.factories import PlanFactory
from reports import exports, services
from reports.models import Format, Status
from tasks.factories import TaskFactory

from .conftest import UKRAINIAN_GOAL, open_archive

pytestmark = pytest.mark.django_db


def run_export(user, run_jobs, *, bom=False) -> dict[str, list[dict]]:
    with run_jobs():
        job = services.request_analytics_export(user=user, format=Format.CSV, bom=bom)
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    assert job.file.name.endswith(".zip")
    with job.file.open("rb") as handle:
        archive = open_archive(handle.read())
    return {
        name: list(csv.DictReader(io.TextIOWrapper(archive.open(name), "utf-8-sig", newline="")))
        for name in archive.namelist()
    }


def raw_member(user, name, *, bom) -> bytes:
    buffer = io.BytesIO()
    exports.write_archive(user, buffer, bom=bom)
    return open_archive(buffer.getvalue()).read(name)


def test_the_archive_holds_one_csv_per_table_with_every_row(user, plan, run_jobs):
    tables = run_export(user, run_jobs)

    assert sorted(tables) == ["goals.csv", "plans.csv", "progress_entries.csv", "tasks.csv"]
    assert [row["title"] for row in tables["plans.csv"]] == [plan.title]
    assert {row["title"] for row in tables["goals.csv"]} == {UKRAINIAN_GOAL, "Run a half marathon"}
    assert len(tables["tasks.csv"]) == 6
    assert len(tables["progress_entries.csv"]) == 6
    goal_row = next(row for row in tables["goals.csv"] if row["title"] == UKRAINIAN_GOAL)
    assert goal_row["plan_id"] == str(plan.pk)
    assert goal_row["plan_title"] == plan.title
    assert goal_row["progress"] == "40"
    assert tables["plans.csv"][0]["goal_count"] == "2"


def test_only_the_owners_rows_are_exported(user, other_user, run_jobs):
    TaskFactory(user=user, title="Mine")
    TaskFactory(user=other_user, title="Theirs")
    GoalFactory(user=other_user, title="Their goal")
    PlanFactory(user=other_user, title="Their plan")

    tables = run_export(user, run_jobs)

    assert [row["title"] for row in tables["tasks.csv"]] == ["Mine"]
    assert tables["goals.csv"] == []
    assert tables["plans.csv"] == []


def test_dates_are_iso_and_timestamps_iso_in_utc(user, run_jobs):
    done = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
    TaskFactory(user=user, title="Dated", due_date=datetime.date(2026, 3, 2), completed_at=done)

    row = run_export(user, run_jobs)["tasks.csv"][0]

    assert row["due_date"] == "2026-03-02"
    assert row["completed_at"] == "2026-03-01T09:30:00+00:00"
    assert row["is_completed"] == "true"
    assert datetime.datetime.fromisoformat(row["created_at"]).utcoffset() == datetime.timedelta(0)


@pytest.mark.parametrize(
    "title",
    ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"],
)
def test_cells_that_a_spreadsheet_would_run_as_formulas_are_escaped(user, run_jobs, title):
    TaskFactory(user=user, title=title, description="=1+1")

    row = run_export(user, run_jobs)["tasks.csv"][0]

    assert row["title"] == "'" + title
    assert row["description"] == "'=1+1"


def test_ordinary_text_with_commas_quotes_and_newlines_round_trips(user, run_jobs):
    title = 'Read "Clean Code", chapter 1; a – b'  # noqa: RUF001
    TaskFactory(user=user, title=title, description="line one\nline two")

    row = run_export(user, run_jobs)["tasks.csv"][0]

    assert row["title"] == title
    assert row["description"] == "line one\nline two"


def test_the_byte_order_mark_is_optional(user):
    TaskFactory(user=user, title=UKRAINIAN_GOAL)

    plain = raw_member(user, "tasks.csv", bom=False)
    marked = raw_member(user, "tasks.csv", bom=True)

    assert not plain.startswith(b"\xef\xbb\xbf")
    assert plain.startswith(b"id,goal_id,goal_title,title,")
    assert marked == b"\xef\xbb\xbf" + plain
    assert UKRAINIAN_GOAL.encode() in plain


def test_the_bom_option_is_part_of_the_request(user, run_jobs):
    with run_jobs():
        plain = services.request_analytics_export(user=user, format=Format.CSV)
        marked = services.request_analytics_export(user=user, format=Format.CSV, bom=True)

    assert plain.pk != marked.pk
    assert marked.parameters == {"bom": True}


def test_rows_stream_in_chunks_with_one_query_per_table(user, django_assert_num_queries):
    goal = GoalFactory(user=user)
    for _ in range(25):
        TaskFactory(user=user, goal=goal, due_date=timezone.localdate())

    with django_assert_num_queries(4):  # plans, goals, tasks, progress entries
        rows = exports.write_archive(user, io.BytesIO(), chunk_size=10)

    assert rows == 1 + 25  # the goal and its tasks


def test_each_column_converts_by_its_field_chosen_once_per_table(user):
    tasks = next(table for table in exports.TABLES if table.filename == "tasks.csv")
    convert_row = exports.row_converter(tasks.rows(user), tasks.columns)
    task_id = uuid.uuid4()
    kyiv = datetime.timezone(datetime.timedelta(hours=2))
    done = datetime.datetime(2026, 3, 1, 11, 30, tzinfo=kyiv)
    due = datetime.date(2026, 3, 2)
    row = (task_id, None, "-goal", "plain", "", 3, due, True, done, done, done)

    cells = convert_row(row)

    assert cells[:7] == [task_id, None, "'-goal", "plain", "", 3, due]
    assert cells[7:] == ["true", *["2026-03-01T09:30:00+00:00"] * 3]
    assert exports.converter(FloatField())(45.0) == 45
    assert exports.converter(FloatField())(45.5) == 45.5
    assert exports.converter(BooleanField())(False) == "false"
    # Left to the csv module, which writes None as "" and these with str().
    assert exports.converter(UUIDField()) is exports.converter(DateField()) is None


def test_every_text_column_of_every_table_is_escaped(user):
    for table in exports.TABLES:
        queryset = table.rows(user)
        is_text = [
            isinstance(exports.column_field(queryset, column), CharField | TextField)
            for column in table.columns
        ]
        row = tuple("=1" if text else None for text in is_text)

        cells = exports.row_converter(queryset, table.columns)(row)

        assert cells == ["'=1" if text else None for text in is_text], table.filename
        assert sum(is_text) >= 2, table.filename
