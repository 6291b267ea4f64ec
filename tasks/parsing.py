# Ukrainian words in patterns: their Cyrillic letters are meant, not look-alikes of Latin ones.
# ruff: noqa: RUF001, RUF002, RUF003
"""Quick add's natural language, English and Ukrainian: "Call mom tomorrow 18:00 p1 #family".

`parse_quick_add` is a plain function of the text and the user's today: it finds a due date,
a time of day, a priority (`p1` … `p5`), labels (`#name` or `@name`) and a repeat rule (an RFC
5545 RRULE, `every monday`, `щопонеділка`), and the title is what is left. Each phrase is taken
out of the text once, the most specific kinds first (a rule before a weekday, a weekday after
"next"); a second date in the text stays in the title.
"""

import calendar
import datetime
import re
from dataclasses import asdict, dataclass, field

from . import recurrence

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

# Weekday names (any form a sentence needs) → 0 = Monday … 6 = Sunday. Longest first in the
# patterns, so that "п'ятницю" is not read as a shorter name.
EN_WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}  # fmt: skip
UK_WEEKDAYS = {
    "понеділок": 0, "понеділка": 0, "пн": 0, "вівторок": 1, "вівторка": 1, "вт": 1,
    "середа": 2, "середу": 2, "середи": 2, "ср": 2, "четвер": 3, "четверга": 3, "чт": 3,
    "п'ятниця": 4, "п'ятницю": 4, "п'ятниці": 4, "пт": 4, "субота": 5, "суботу": 5,
    "суботи": 5, "сб": 5, "неділя": 6, "неділю": 6, "неділі": 6, "нд": 6,
}  # fmt: skip
# "щопонеділка": the genitive after "що-".
UK_EVERY_WEEKDAY = {
    "щопонеділка": 0, "щовівторка": 1, "щосереди": 2, "щочетверга": 3, "щоп'ятниці": 4,
    "щосуботи": 5, "щонеділі": 6,
}  # fmt: skip
EN_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
} | {"sept": 9}
UK_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("січня", "січень"),
            ("лютого", "лютий"),
            ("березня", "березень"),
            ("квітня", "квітень"),
            ("травня", "травень"),
            ("червня", "червень"),
            ("липня", "липень"),
            ("серпня", "серпень"),
            ("вересня", "вересень"),
            ("жовтня", "жовтень"),
            ("листопада", "листопад"),
            ("грудня", "грудень"),
        ],
        start=1,
    )
    for name in names
}
MONTHS = EN_MONTHS | UK_MONTHS
ALL_WEEKDAYS = EN_WEEKDAYS | UK_WEEKDAYS

UNITS = {
    "day": "days", "days": "days", "d": "days", "week": "weeks", "weeks": "weeks", "w": "weeks",
    "month": "months", "months": "months", "year": "years", "years": "years",
    "день": "days", "дні": "days", "днів": "days", "дня": "days", "тиждень": "weeks",
    "тижні": "weeks", "тижнів": "weeks", "тижня": "weeks", "місяць": "months",
    "місяці": "months", "місяців": "months", "місяця": "months", "рік": "years",
    "роки": "years", "років": "years",
}  # fmt: skip
FREQ_OF_UNIT = {"days": "DAILY", "weeks": "WEEKLY", "months": "MONTHLY", "years": "YEARLY"}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "ten": 10, "один": 1, "одну": 1, "два": 2, "дві": 2, "три": 3, "чотири": 4,
    "п'ять": 5,
}  # fmt: skip

# Evening, for "tonight" / "сьогодні ввечері".
EVENING = datetime.time(19, 0)


def _alternatives(names) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


# Word boundaries that know Cyrillic and the apostrophe inside Ukrainian words.
B = r"(?<![\w'])"
E = r"(?![\w'])"
DAY_NAME = f"(?P<day>{_alternatives(ALL_WEEKDAYS)})"
MONTH_NAME = f"(?P<month>{_alternatives(MONTHS)})"
NUMBER = rf"(?P<n>\d{{1,3}}|{_alternatives(NUMBER_WORDS)})"
UNIT = f"(?P<unit>{_alternatives(UNITS)})"
ORDINAL = r"(?P<dom>[12]?\d|3[01])(?:st|nd|rd|th|-?го|-?е)?"


@dataclass
class ParsedTask:
    """What quick add understood; `labels` are names, which may not exist yet."""

    title: str
    due_date: datetime.date | None = None
    due_time: datetime.time | None = None
    priority: int | None = None
    labels: list[str] = field(default_factory=list)
    recurrence: str | None = None
    recurs_after_completion: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


class _Text:
    """The text being parsed: phrases are cut out of it as they are understood."""

    def __init__(self, text: str):
        self.text = f" {text} "

    def take(self, pattern: str, read=None):
        """The first match of `pattern` (case-insensitive) that `read(match)` makes sense of
        (not None), cut out of the text: `read`'s value, or the match without `read`."""
        for match in re.finditer(pattern, self.text, re.IGNORECASE):
            value = match if read is None else read(match)
            if value is not None:
                self.text = f"{self.text[: match.start()]} {self.text[match.end() :]}"
                return value
        return None

    def title(self) -> str:
        words = self.text.split()
        # Joining words a phrase leaves behind at either end: "Pay rent on", "о", "at".
        loose = {"on", "at", "by", "due", "in", "в", "у", "о", "об", "на", "до", "-", ",", "—"}
        while words and words[-1].lower() in loose:
            words.pop()
        while words and words[0].lower() in loose:
            words.pop(0)
        return " ".join(words)


def parse_quick_add(text: str, *, today: datetime.date, week_start: int = 0) -> ParsedTask:
    """Read a task out of one line of text, for a user whose today is `today` and whose week
    starts on `week_start` (0 = Monday … 6 = Sunday, as `date.weekday()`)."""
    text = re.sub(r"[’ʼ`]", "'", text or "")  # Ukrainian apostrophes, in one form
    line = _Text(text)
    labels = [match[1] for match in re.finditer(r"(?<!\S)[#@]([\w'-]+)", line.text)]
    line.text = re.sub(r"(?<!\S)[#@][\w'-]+", " ", line.text)
    priority = None
    if match := line.take(rf"{B}[pп]([1-5]){E}"):
        priority = int(match[1])
    rule, after_completion = _take_recurrence(line)
    due_time = _take_time(line)
    due_date: datetime.date | None
    if line.take(rf"{B}(?:tonight|сьогодні\s+ввечері){E}"):
        due_date, due_time = today, due_time or EVENING
    else:
        due_date = _take_date(line, today, week_start)
    if rule:
        start = due_date or today
        due_date = recurrence.first_on_or_after(rule, start=start, day=start) or start
    elif due_date is None and due_time is not None:
        due_date = today
    return ParsedTask(
        title=line.title(),
        due_date=due_date,
        due_time=due_time,
        priority=priority,
        labels=_unique(labels),
        recurrence=rule,
        recurs_after_completion=after_completion,
    )


def _unique(names: list[str]) -> list[str]:
    """Each name once, in any letter case (as label names are unique), in the order typed."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


# --- Repeat rules ----------------------------------------------------------------------------

EVERY = r"(?:every|each|кожен|кожн(?:ого|ий|у|і|ої))"
AFTER_COMPLETION = r"(?:\s+(?:after\s+(?:completion|done|completing)|після\s+виконання))"


def _take_recurrence(line: _Text) -> tuple[str | None, bool]:
    """`(rule, counted from completion?)`, the phrase cut out of `line`."""
    if match := line.take(rf"{B}(?:every|each)\s+last\s+{DAY_NAME}{E}(?:\s+of\s+the\s+month)?"):
        return f"FREQ=MONTHLY;BYDAY=-1{WEEKDAYS[ALL_WEEKDAYS[match['day'].lower()]]}", False
    month_day = (
        rf"{B}(?:every\s+month\s+on\s+the\s+{ORDINAL}|every\s+(?P<nth>[12]?\d|3[01])(?:st|nd|rd|th)"
        rf"|кожного\s+(?P<uk>[12]?\d|3[01])(?:-?го)?\s+числа){E}(?:\s+of\s+the\s+month)?"
    )
    if match := line.take(month_day):
        return _month_day_rule(int(match["dom"] or match["nth"] or match["uk"])), False
    days = _take_weekday_list(line)
    if days:
        return "FREQ=WEEKLY;BYDAY=" + ",".join(WEEKDAYS[day] for day in sorted(days)), False
    simple = [
        (rf"{B}(?:daily|щодня|щоденно){E}", "FREQ=DAILY"),
        (
            rf"{B}(?:every\s+(?:weekday|workday)|weekdays|по\s+буднях|щобудня){E}",
            "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ),
        (rf"{B}(?:every\s+weekend|по\s+вихідних){E}", "FREQ=WEEKLY;BYDAY=SA,SU"),
        (rf"{B}(?:weekly|щотижня|щотижнево){E}", "FREQ=WEEKLY"),
        (rf"{B}(?:monthly|щомісяця|щомісячно){E}", "FREQ=MONTHLY"),
        (rf"{B}(?:yearly|annually|щороку|щорічно){E}", "FREQ=YEARLY"),
    ]
    for pattern, rule in simple:
        if line.take(pattern):
            return rule, False
    every = (
        rf"{B}(?P<every>every!|{EVERY})\s+(?:{NUMBER}\s+)?{UNIT}{E}(?P<habit>{AFTER_COMPLETION})?"
    )
    if match := line.take(every):
        freq = FREQ_OF_UNIT[UNITS[match["unit"].lower()]]
        interval = _number(match["n"]) if match["n"] else 1
        habit = match["every"] == "every!" or bool(match["habit"])
        rule = f"FREQ={freq}" if interval == 1 else f"FREQ={freq};INTERVAL={interval}"
        return rule, habit
    return None, False


def _take_weekday_list(line: _Text) -> set[int]:
    """ "every mon and thu", "every monday, thursday", "щопонеділка і щочетверга"."""
    uk = _alternatives(UK_EVERY_WEEKDAY)
    if match := line.take(rf"{B}(?:{uk})(?:\s*(?:,|і|й|та|and)\s*(?:{uk}))*{E}"):
        return {UK_EVERY_WEEKDAY[name.lower()] for name in re.findall(uk, match[0], re.IGNORECASE)}
    names = _alternatives(ALL_WEEKDAYS)
    every = rf"{B}(?:{EVERY}|on\s+every)\s+(?:{names})(?:\s*(?:,|and|&|і|й|та)\s*(?:{names}))*{E}"
    if match := line.take(every):
        body = re.sub(rf"^\s*(?:{EVERY}|on\s+every)", "", match[0], flags=re.IGNORECASE)
        return {
            ALL_WEEKDAYS[name.lower()]
            for name in re.findall(rf"{B}(?:{names}){E}", body, re.IGNORECASE)
        }
    return set()


def _month_day_rule(day: int) -> str:
    """Monthly on `day`; from the 29th on, the month's last day when it is shorter (a rent
    due on the 31st is due on February 28th), which BYMONTHDAY alone would skip."""
    if day <= 28:
        return f"FREQ=MONTHLY;BYMONTHDAY={day}"
    if day == 31:
        return "FREQ=MONTHLY;BYMONTHDAY=-1"
    return f"FREQ=MONTHLY;BYMONTHDAY={','.join(str(d) for d in range(28, day + 1))};BYSETPOS=-1"


# --- Time of day -----------------------------------------------------------------------------


def _take_time(line: _Text) -> datetime.time | None:
    prefix = r"(?:(?:at|@|о|об|на)\s+)?"
    if match := line.take(rf"{B}{prefix}(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d){E}"):
        return datetime.time(int(match["h"]), int(match["m"]))
    if match := line.take(
        rf"{B}{prefix}(?P<h>1[0-2]|0?[1-9])(?::(?P<m>[0-5]\d))?\s*(?P<ap>am|pm){E}"
    ):
        hour = int(match["h"]) % 12 + (12 if match["ap"].lower() == "pm" else 0)
        return datetime.time(hour, int(match["m"] or 0))
    if match := line.take(rf"{B}(?:о|об)\s+(?P<h>[01]?\d|2[0-3])(?:\s+годині)?{E}"):
        return datetime.time(int(match["h"]), 0)
    if line.take(rf"{B}(?:noon|опівдні){E}"):
        return datetime.time(12, 0)
    return None


# --- Dates -----------------------------------------------------------------------------------


def _take_date(line: _Text, today: datetime.date, week_start: int) -> datetime.date | None:
    one_day = datetime.timedelta(days=1)
    if match := line.take(rf"{B}(?:in|через)\s+{NUMBER}\s+{UNIT}{E}"):
        return _shift(today, _number(match["n"]), UNITS[match["unit"].lower()])
    if match := line.take(rf"{B}(?:in\s+a|через)\s+{UNIT}{E}"):
        return _shift(today, 1, UNITS[match["unit"].lower()])
    named = [
        (rf"{B}(?:(?:the\s+)?day\s+after\s+tomorrow|післязавтра){E}", 2),
        (rf"{B}(?:tomorrow|tmrw?|завтра){E}", 1),
        (rf"{B}(?:today|сьогодні){E}", 0),
    ]
    for pattern, days in named:
        if line.take(pattern):
            return today + days * one_day
    week_begins = today - datetime.timedelta(days=(today.weekday() - week_start) % 7)
    if line.take(rf"{B}(?:next\s+week|наступного\s+тижня|на\s+наступному\s+тижні){E}"):
        return week_begins + datetime.timedelta(days=7)
    if line.take(rf"{B}(?:next\s+month|наступного\s+місяця){E}"):
        return _shift(today.replace(day=1), 1, "months")
    if line.take(rf"{B}(?:this\s+weekend|weekend|на\s+вихідних){E}"):
        return today + datetime.timedelta(days=(5 - today.weekday()) % 7)
    if match := line.take(rf"{B}(?:next|наступн(?:ого|ої|у|ий|а))\s+{DAY_NAME}{E}"):
        day = ALL_WEEKDAYS[match["day"].lower()]
        return week_begins + datetime.timedelta(days=7 + (day - week_start) % 7)
    if match := line.take(rf"{B}(?:(?:on|this|в|у|во)\s+)?{DAY_NAME}{E}"):
        ahead = (ALL_WEEKDAYS[match["day"].lower()] - today.weekday()) % 7
        return today + datetime.timedelta(days=ahead or 7)
    return _take_calendar_date(line, today)


def _take_calendar_date(line: _Text, today: datetime.date) -> datetime.date | None:
    """ISO dates, `15.03(.2027)`, `1 march`, `march 1st`, `1 березня`: the next such day from
    today on, unless the year is given. A number that is no date ("Pay 12.50") stays put."""
    year = r"(?:,?\s+(?P<y>\d{4}))?"
    readers = [
        (rf"{B}(?P<y>\d{{4}})-(?P<m>\d{{2}})-(?P<d>\d{{2}}){E}", lambda m: int(m["m"])),
        (rf"{B}(?P<d>[0-3]?\d)\.(?P<m>[01]\d)(?:\.(?P<y>\d{{4}}))?{E}", lambda m: int(m["m"])),
        (
            rf"{B}(?:on\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th|-?го)?\s+{MONTH_NAME}{year}{E}",
            lambda m: MONTHS[m["month"].lower()],
        ),
        (
            rf"{B}(?:on\s+)?{MONTH_NAME}\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?{year}{E}",
            lambda m: MONTHS[m["month"].lower()],
        ),
    ]
    for pattern, month in readers:
        found = line.take(pattern, lambda m, month=month: _next_date(today, month(m), m))
        if found is not None:
            return found
    return None


def _number(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _next_date(today, month: int, match) -> datetime.date | None:
    """The date of `month` and the match's `d` (and `y`, or the next such day from today)."""
    day, year = int(match["d"]), match["y"]
    if year:
        return _date(int(year), month, day)
    found = _date(today.year, month, day)
    if found is not None and found < today:
        found = _date(today.year + 1, month, day)
    return found


def _shift(day: datetime.date, count: int, unit: str) -> datetime.date:
    """`day` plus `count` units; a month later than January 31st is the end of February."""
    try:
        if unit == "days":
            return day + datetime.timedelta(days=count)
        if unit == "weeks":
            return day + datetime.timedelta(weeks=count)
        months = count * (12 if unit == "years" else 1)
        year, month = divmod(day.month - 1 + months, 12)
        year += day.year
        last = calendar.monthrange(year, month + 1)[1]
        return day.replace(year=year, month=month + 1, day=min(day.day, last))
    except (OverflowError, ValueError):
        return datetime.date.max
