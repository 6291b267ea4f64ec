"""Read a CSV file of tasks into rows to import, or say exactly what is wrong with it.

Two shapes are understood, told apart by their header:

- a Todoist export (https://todoist.com/help/articles/format-a-csv-file-to-import-into-todoist-UVUXTmm6):
  `TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE,...`
  where TYPE is `task`, `section` or `note`; labels are `@words` in CONTENT; PRIORITY 1 is p1
  (highest) and 4 is p4 (Todoist's "no priority"); INDENT 2+ makes a sub-task of the task above;
  a section names the goal of the tasks under it; a note is a comment on the task above.
- a generic file with the columns `title, due, priority, labels, goal` (and `description`),
  any order and letter case; `title` is required.

Parsing is pure: nothing is read from or written to the database. A file with any error is
not imported at all, so the errors name every bad line at once.
"""

import csv
import datetime
import io
import re
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext

from tasks.parsing import parse_quick_add

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_TITLE = 255
MAX_LABEL = 50

TODOIST = "todoist"
GENERIC = "generic"
TODOIST_COLUMNS = {"TYPE", "CONTENT", "PRIORITY", "INDENT"}
GENERIC_COLUMNS = {"title", "due", "priority", "labels", "goal", "description"}

# Todoist's p1 to p4 on our 1 (highest) to 5 (lowest) scale: p4 is Todoist's default ("no
# priority"), so it becomes our default, Normal, like p3 ("medium").
TODOIST_PRIORITY = {"1": 1, "2": 2, "3": 3, "4": 3}
LABEL = re.compile(r"(?<!\S)@([^\s@]+)")
LABEL_SEPARATORS = re.compile(r"[,;]")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%b %d %Y", "%d %b %Y", "%B %d %Y", "%d %B %Y")
TIME = re.compile(r"^(?P<date>.+?)\s+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})$")


@dataclass
class Row:
    line: int
    title: str
    description: str = ""
    priority: int = 3
    due_date: datetime.date | None = None
    due_time: datetime.time | None = None
    labels: list[str] = field(default_factory=list)
    goal: str = ""
    subtasks: list[str] = field(default_factory=list)
    recurrence: str = ""  # an RRULE
    recurs_after_completion: bool = False

    def to_json(self) -> dict:
        data = asdict(self)
        data["due_date"] = self.due_date.isoformat() if self.due_date else None
        data["due_time"] = self.due_time.strftime("%H:%M") if self.due_time else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Row":
        data = dict(data)
        if data["due_date"]:
            data["due_date"] = datetime.date.fromisoformat(data["due_date"])
        if data["due_time"]:
            data["due_time"] = datetime.time.fromisoformat(data["due_time"])
        return cls(**data)


@dataclass
class Problem:
    line: int  # 0: the file as a whole
    message: str


@dataclass
class ParsedFile:
    format: str
    rows: list[Row]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def goals(self) -> list[str]:
        return distinct_names(row.goal for row in self.rows if row.goal)

    @property
    def labels(self) -> list[str]:
        return distinct_names(label for row in self.rows for label in row.labels)


def distinct_names(names) -> list[str]:
    """Names in first-seen order, once each in any letter case."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def parse(raw: bytes, *, today: datetime.date) -> ParsedFile:
    """The rows of a CSV file (UTF-8, with or without a BOM; commas or semicolons); relative
    dates ("tomorrow", "every monday") count from the user's `today`."""
    if len(raw) > MAX_BYTES:
        return _refused(
            gettext("The file is larger than %(megabytes)d MB.")
            % {"megabytes": MAX_BYTES // (1024 * 1024)}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _refused(
            gettext("The file is not UTF-8 text: save it as “CSV UTF-8” and try again.")
        )
    if "\x00" in text:
        return _refused(gettext("The file is not a CSV text file."))
    if not text.strip():
        return _refused(gettext("The file is empty."))
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect, strict=True)
    try:
        header = [name.strip() for name in next(reader)]
        records = list(reader)
    except csv.Error as error:
        return _refused(gettext("The file is not valid CSV: %(error)s.") % {"error": error})
    if len(records) > MAX_ROWS:
        return _refused(
            gettext("The file has %(rows)d rows; at most %(max)d are imported.")
            % {"rows": len(records), "max": MAX_ROWS}
        )
    if set(header) >= TODOIST_COLUMNS:
        return _todoist(header, records, today)
    if "title" in {name.lower() for name in header}:
        return _generic(header, records, today)
    return _refused(
        gettext(
            "The first line names no known columns: a Todoist export starts with "
            "TYPE,CONTENT,…; a plain file needs at least a “title” column "
            "(and may have due, priority, labels, goal, description)."
        )
    )


def _refused(message: str) -> ParsedFile:
    return ParsedFile(format="", rows=[], problems=[Problem(0, message)])


def _cells(header: list[str], record: list[str], *, lower: bool) -> dict[str, str]:
    names = [name.lower() for name in header] if lower else header
    return {name: value.strip() for name, value in zip(names, record, strict=False)}


def _todoist(header, records, today) -> ParsedFile:
    rows: list[Row] = []
    problems: list[Problem] = []
    section = ""
    top: Row | None = None  # the task whose checklist sub-tasks join
    depth_above = 0  # the indent of the line above (a sub-task goes at most one deeper)
    for line, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = _cells(header, record, lower=False)
        kind, content = cells.get("TYPE", ""), cells.get("CONTENT", "")
        if kind == "meta":  # the export's view settings (view_style)
            continue
        if kind == "section":
            section, top, depth_above = content[:MAX_TITLE], None, 0
            continue
        if kind == "note":
            if top is None:
                problems.append(
                    Problem(line, gettext("A note must follow the task it belongs to."))
                )
            elif content:
                top.description = "\n\n".join(filter(None, [top.description, content]))
            continue
        if kind != "task":
            problems.append(
                Problem(
                    line,
                    gettext("TYPE is “%(value)s”; it must be task, section, note or meta.")
                    % {"value": kind},
                )
            )
            continue
        indent = cells.get("INDENT") or "1"
        if not indent.isdigit() or int(indent) < 1:
            problems.append(
                Problem(
                    line,
                    gettext("INDENT is “%(value)s”; it must be 1, 2, 3 or 4.") % {"value": indent},
                )
            )
            continue
        depth = int(indent)
        labels = _label_names(LABEL.findall(content), line, problems)
        title = " ".join(LABEL.sub("", content).split())
        if depth > 1:
            if top is None or depth > depth_above + 1:
                problems.append(
                    Problem(line, gettext("A sub-task (INDENT 2+) must follow its task."))
                )
                continue
            if title:
                # Our checklists are one level deep: deeper items join the top task's list.
                top.subtasks.append(title[:MAX_TITLE])
            depth_above = depth
            continue
        priority = cells.get("PRIORITY") or "4"
        if priority not in TODOIST_PRIORITY:
            problems.append(
                Problem(
                    line,
                    gettext("PRIORITY is “%(value)s”; it must be 1, 2, 3 or 4.")
                    % {"value": priority},
                )
            )
            continue
        row = _row(line, title, problems)
        if row is None:
            continue
        row.description = cells.get("DESCRIPTION", "")
        row.priority = TODOIST_PRIORITY[priority]
        row.labels = labels
        row.goal = section
        if not _read_due(row, cells.get("DATE", ""), line, problems, today):
            continue
        rows.append(row)
        top, depth_above = row, 1
    return _finish(TODOIST, rows, problems)


def _generic(header, records, today) -> ParsedFile:
    rows: list[Row] = []
    problems: list[Problem] = []
    unknown = [name for name in header if name.lower() not in GENERIC_COLUMNS and name]
    if unknown:
        problems.append(
            Problem(
                1,
                gettext(
                    "Unknown column(s): %(names)s. The columns are title, due, priority, "
                    "labels, goal, description."
                )
                % {"names": ", ".join(unknown)},
            )
        )
    for line, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = _cells(header, record, lower=True)
        row = _row(line, cells.get("title", ""), problems)
        if row is None:
            continue
        row.description = cells.get("description", "")
        priority = cells.get("priority", "")
        if priority:
            if priority.lower().removeprefix("p") not in {"1", "2", "3", "4", "5"}:
                problems.append(
                    Problem(
                        line,
                        gettext("Priority is “%(value)s”; it must be 1 (highest) to 5.")
                        % {"value": priority},
                    )
                )
                continue
            row.priority = int(priority.lower().removeprefix("p"))
        labels = [
            name.strip().lstrip("@#") for name in LABEL_SEPARATORS.split(cells.get("labels", ""))
        ]
        row.labels = _label_names([name for name in labels if name], line, problems)
        goal = cells.get("goal", "")
        if len(goal) > MAX_TITLE:
            problems.append(
                Problem(
                    line,
                    gettext("The goal is longer than %(max)d characters.") % {"max": MAX_TITLE},
                )
            )
            continue
        row.goal = goal
        if not _read_due(row, cells.get("due", ""), line, problems, today):
            continue
        rows.append(row)
    return _finish(GENERIC, rows, problems)


def _row(line, title, problems) -> Row | None:
    if not title:
        problems.append(Problem(line, gettext("The task has no title.")))
        return None
    if len(title) > MAX_TITLE:
        problems.append(
            Problem(
                line, gettext("The title is longer than %(max)d characters.") % {"max": MAX_TITLE}
            )
        )
        return None
    return Row(line=line, title=title)


def _label_names(names, line, problems) -> list[str]:
    for name in names:
        if len(name) > MAX_LABEL:
            problems.append(
                Problem(
                    line,
                    gettext("The label “%(name)s…” is longer than %(max)d.")
                    % {"name": name[:20], "max": MAX_LABEL},
                )
            )
    return distinct_names(name for name in names if len(name) <= MAX_LABEL)


def _read_due(row: Row, text: str, line: int, problems, today) -> bool:
    """Set the row's due date (and time, and repeat rule) from `text`; False with a problem
    if it is not understood."""
    if not text:
        return True
    if when := parse_due(text):
        row.due_date, row.due_time = when
        return True
    # Todoist writes dates as typed: "every monday", "tomorrow 18:00", "завтра" — quick add's
    # language, which must account for the whole cell.
    understood = parse_quick_add(text, today=today)
    if understood.title or understood.labels or understood.priority or not understood.due_date:
        problems.append(
            Problem(line, f"The date “{text}” is not understood: write it as 2026-03-01.")
        )
        return False
    row.due_date, row.due_time = understood.due_date, understood.due_time
    row.recurrence = understood.recurrence or ""
    row.recurs_after_completion = understood.recurs_after_completion
    return True


def parse_due(text: str) -> tuple[datetime.date, datetime.time | None] | None:
    """A date, optionally with a time of day: `2026-03-01`, `2026-03-01 18:00`, `01.03.2026`,
    `Mar 1 2026`, `1 March 2026` (Todoist exports dates in these spellings)."""
    text = " ".join(text.replace(",", " ").split())
    due_time = None
    if "T" in text and text[:4].isdigit():  # 2026-03-01T18:00(:00)
        text = text.replace("T", " ", 1)
    if match := TIME.match(text):
        hour, minute = int(match["hour"]), int(match["minute"])
        if hour > 23 or minute > 59:
            return None
        text, due_time = match["date"], datetime.time(hour, minute)
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date(), due_time
        except ValueError:
            continue
    return None


def _finish(format, rows, problems) -> ParsedFile:
    if not rows and not problems:
        problems.append(Problem(0, gettext("The file has no tasks.")))
    return ParsedFile(format=format, rows=rows, problems=problems)
