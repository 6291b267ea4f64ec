"""The CSV parser: a real-shaped Todoist export, a plain spreadsheet, and files that are wrong."""

import datetime
from pathlib import Path

import pytest

from imports.parsers import GENERIC, MAX_ROWS, TODOIST, Row, parse, parse_due

FILES = Path(__file__).parent / "files"
# The Ukrainian apostrophe of a Todoist section and label ("health").
HEALTH = "Здоров\u2019я"
HEALTH_LABEL = HEALTH.lower()
TODAY = datetime.date(2026, 3, 1)  # a Sunday


def read(name):
    return (FILES / name).read_bytes()


def test_a_todoist_export():
    parsed = parse(read("todoist_export.csv"), today=TODAY)

    assert parsed.format == TODOIST
    assert parsed.problems == []
    assert parsed.ok
    assert [row.title for row in parsed.rows] == [
        "Renew passport",
        "Call mom",
        "Water the plants",
        "Update the CV",
        "Ask Taras for a reference",
        "Записатися до лікаря",
    ]
    passport, call, plants, cv, reference, doctor = parsed.rows
    # labels come out of the content; a note joins the description of the task above it
    assert passport.labels == ["errands", "admin"]
    assert passport.description == "Bring two photos, the old passport\n\nAppointment number 4471"
    assert passport.priority == 1
    assert passport.due_date == datetime.date(2026, 3, 2)
    assert passport.due_time is None
    assert passport.goal == ""
    # a time of day; sub-tasks (indent 2 and 3) become the checklist of the task above
    assert call.due_date == datetime.date(2026, 3, 5)
    assert call.due_time == datetime.time(18, 0)
    assert call.subtasks == ["Pack documents", "Copy of the ID card"]
    assert call.priority == 2
    # Todoist's dates as typed, in quick add's language
    assert plants.due_date == datetime.date(2026, 3, 2)
    assert plants.recurrence == "FREQ=WEEKLY;BYDAY=MO"
    assert plants.labels == ["home"]
    assert passport.recurrence == ""
    # a section names the goal of the tasks under it; p4 is Todoist's "no priority"
    assert cv.goal == reference.goal == "Career"
    assert cv.description == "Add the 2025 project, in English"
    assert cv.priority == 3
    assert reference.priority == 3
    assert reference.due_date is None
    assert doctor.goal == HEALTH
    assert doctor.labels == [HEALTH_LABEL]
    assert doctor.due_date == datetime.date(2026, 3, 10)
    assert parsed.goals == ["Career", HEALTH]
    assert parsed.labels == ["errands", "admin", "family", "home", "work", HEALTH_LABEL]


def test_a_malformed_todoist_file_names_every_bad_line():
    parsed = parse(read("todoist_malformed.csv"), today=TODAY)

    assert not parsed.ok
    assert [(problem.line, problem.message) for problem in parsed.problems] == [
        (3, "The task has no title."),
        (4, "PRIORITY is “7”; it must be 1, 2, 3 or 4."),
        (5, "The date “32.13.2026” is not understood: write it as 2026-03-01."),
        (6, "TYPE is “project”; it must be task, section, note or meta."),
        (7, "A sub-task (INDENT 2+) must follow its task."),
    ]


def test_a_generic_file_with_semicolons_and_any_letter_case():
    parsed = parse(read("generic.csv"), today=TODAY)

    assert parsed.format == GENERIC
    assert parsed.problems == []
    book, run, rent = parsed.rows
    assert book == Row(
        line=2,
        title="Read a chapter",
        description="Ownership and borrowing",
        priority=2,
        due_date=datetime.date(2026, 3, 3),
        labels=["reading", "evening"],
        goal="Learn Rust",
    )
    assert run.priority == 1
    assert run.due_time == datetime.time(7, 30)
    assert rent.priority == 4
    assert rent.due_date is None
    assert rent.labels == []
    assert parsed.goals == ["Learn Rust", "Run a half marathon"]


def test_rows_survive_json():
    for row in parse(read("todoist_export.csv"), today=TODAY).rows:
        assert Row.from_json(row.to_json()) == row


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        ("title\nCaf\xe9\n".encode("latin-1"), "The file is not UTF-8 text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "The file is not"),
        (b"name,when\nx,y\n", "The first line names no known columns"),
        (b"title,due\n", "The file has no tasks."),
        (b"title\n" + b"x\n" * (MAX_ROWS + 1), f"at most {MAX_ROWS} are imported"),
        (b"x" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
        (b'title\n"an unclosed quote\nswallows the rest\n', "The file is not valid CSV"),
    ],
)
def test_files_that_are_refused_as_a_whole(content, message):
    parsed = parse(content, today=TODAY)

    assert not parsed.ok
    assert parsed.rows == []
    assert len(parsed.problems) == 1
    assert parsed.problems[0].line == 0
    assert message in parsed.problems[0].message


@pytest.mark.parametrize(
    ("csv", "line", "message"),
    [
        ("title,priority\nx,9\n", 2, "Priority is “9”; it must be 1 (highest) to 5."),
        ("title,due\nx,tomorrow-ish\n", 2, "The date “tomorrow-ish” is not understood"),
        ("title,due\nx,2026-02-30\n", 2, "The date “2026-02-30” is not understood"),
        ("title,due\nx,2026-03-01 25:00\n", 2, "is not understood"),
        ("title,colour\nx,red\n", 1, "Unknown column(s): colour."),
        ("title\n" + "x" * 256 + "\n", 2, "The title is longer than 255 characters."),
        ("title,labels\nx," + "l" * 51 + "\n", 2, "is longer than 50"),
    ],
)
def test_row_problems_name_their_line(csv, line, message):
    parsed = parse(csv.encode(), today=TODAY)

    assert not parsed.ok
    assert any(p.line == line and message in p.message for p in parsed.problems), parsed.problems


def test_a_bom_and_windows_line_ends_are_fine():
    parsed = parse(b"\xef\xbb\xbftitle,due\r\nPay,2026-03-01\r\n", today=TODAY)

    assert parsed.ok
    assert parsed.rows[0].title == "Pay"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", (datetime.date(2026, 3, 1), None)),
        ("2026-03-01 18:05", (datetime.date(2026, 3, 1), datetime.time(18, 5))),
        ("2026-03-01T18:05:00", None),
        ("01.03.2026", (datetime.date(2026, 3, 1), None)),
        ("Mar 1 2026", (datetime.date(2026, 3, 1), None)),
        ("Mar 1, 2026 at 9:30", (datetime.date(2026, 3, 1), datetime.time(9, 30))),
        ("1 March 2026", (datetime.date(2026, 3, 1), None)),
        ("someday", None),
    ],
)
def test_due_spellings(text, expected):
    assert parse_due(text) == expected


@pytest.mark.parametrize(
    ("text", "due_date", "due_time", "recurrence"),
    [
        ("tomorrow", datetime.date(2026, 3, 2), None, ""),
        ("tomorrow 18:00", datetime.date(2026, 3, 2), datetime.time(18, 0), ""),
        ("every day", datetime.date(2026, 3, 1), None, "FREQ=DAILY"),
        ("завтра", datetime.date(2026, 3, 2), None, ""),
    ],
)
def test_todoist_dates_as_typed(text, due_date, due_time, recurrence):
    content = f"TYPE,CONTENT,PRIORITY,INDENT,DATE\ntask,Thing,4,1,{text}\n".encode()

    (row,) = parse(content, today=TODAY).rows

    assert (row.due_date, row.due_time, row.recurrence) == (due_date, due_time, recurrence)


@pytest.mark.parametrize("text", ["tomorrow buy milk", "next blursday", "p1"])
def test_a_date_cell_with_more_than_a_date_is_a_problem(text):
    content = f"TYPE,CONTENT,PRIORITY,INDENT,DATE\ntask,Thing,4,1,{text}\n".encode()

    parsed = parse(content, today=TODAY)

    assert parsed.rows == []
    assert "is not understood" in parsed.problems[0].message
