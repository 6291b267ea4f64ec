"""Recurring tasks: RFC 5545 RRULEs over the days of the user's calendar.

A task recurs by day (its time of day is `Task.due_time`), so occurrences are computed on naive
local dates: a daylight-saving change never moves one, and a reminder turns a date and time into
UTC only at the end, in the user's zone. Only the rule parts that speak of days are accepted.
"""

import datetime

from dateutil import rrule
from django.utils.translation import gettext, ngettext, pgettext_lazy

FREQUENCIES = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
PARTS = {
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
}
MAX_LENGTH = 255
# Parts RFC 5545 forbids with a frequency, and those that make a daily rule filter days it could
# never produce (a task that repeats daily on the 15th is a monthly task).
FORBIDDEN = {
    "DAILY": {"BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYSETPOS"},
    "WEEKLY": {"BYMONTHDAY", "BYYEARDAY", "BYWEEKNO"},
    "MONTHLY": {"BYYEARDAY", "BYWEEKNO"},
    "YEARLY": set(),
}
# An impossible rule (February 30th) makes dateutil walk period by period to the year 9999
# before it answers "no date". The check that a rule has dates at all runs on the last four
# centuries instead: the Gregorian calendar repeats every 400 years, weekdays included.
PROBE_START = datetime.date(9600, 1, 1)


class InvalidRule(ValueError):
    """A recurrence rule this app cannot use; the message says why, for the user."""


def normalize(text: str) -> str:
    """The rule in canonical spelling (upper case, no `RRULE:` prefix, `UNTIL` as a date), or
    `InvalidRule`. It says nothing of whether the rule has dates after a given start: see
    `first_on_or_after`."""
    text = (text or "").strip().upper().removeprefix("RRULE:")
    if not text:
        raise InvalidRule(gettext("Give a rule such as FREQ=WEEKLY;BYDAY=MO,TH."))
    if len(text) > MAX_LENGTH:
        raise InvalidRule(f"A rule has at most {MAX_LENGTH} characters.")
    parts = {}
    for part in text.split(";"):
        name, sep, value = part.partition("=")
        if not sep or not value:
            raise InvalidRule(f"“{part}” is not NAME=VALUE.")
        if name not in PARTS:
            raise InvalidRule(f"{name} is not supported: tasks recur by day.")
        if name in parts:
            raise InvalidRule(f"{name} is given twice.")
        if name == "UNTIL":
            value = value.partition("T")[0]  # a date-time from another client: its day
        parts[name] = value
    if parts.get("FREQ") not in FREQUENCIES:
        raise InvalidRule(gettext("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY."))
    if "COUNT" in parts and "UNTIL" in parts:
        raise InvalidRule(gettext("Give COUNT or UNTIL, not both."))
    forbidden = sorted(FORBIDDEN[parts["FREQ"]] & parts.keys())
    if forbidden:
        raise InvalidRule(f"{', '.join(forbidden)} cannot be used with FREQ={parts['FREQ']}.")
    normalized = ";".join(f"{name}={value}" for name, value in parts.items())
    endless = ";".join(
        f"{name}={value}" for name, value in parts.items() if name not in ("COUNT", "UNTIL")
    )
    try:
        probe = _rule(endless, PROBE_START)
        if int(parts.get("COUNT", 1)) < 1 or int(parts.get("INTERVAL", 1)) < 1:
            raise ValueError(gettext("COUNT and INTERVAL must be positive"))
        if "UNTIL" in parts:
            datetime.datetime.strptime(parts["UNTIL"], "%Y%m%d")
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise InvalidRule(f"Not a valid RRULE: {exc}") from None
    if probe.after(_midnight(PROBE_START), inc=True) is None:
        raise InvalidRule(gettext("This rule never matches a date."))
    return normalized


def _rule(text: str, start: datetime.date) -> rrule.rrulebase:
    return rrule.rrulestr(text, dtstart=datetime.datetime.combine(start, datetime.time()))


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time())


def first_on_or_after(text: str, *, start: datetime.date, day: datetime.date):
    """The first date of the series starting at `start` on or after `day`, or None when the
    series has ended (COUNT or UNTIL)."""
    found = _rule(text, start).after(_midnight(day), inc=True)
    return found.date() if found else None


def next_occurrence(text: str, *, start: datetime.date, after: datetime.date):
    """The first date of the series starting at `start` strictly after `after`, or None when
    the series has ended."""
    found = _rule(text, start).after(_midnight(after), inc=False)
    return found.date() if found else None


def describe(text: str) -> str:
    """The rule in a few words for the task list ("every week on Mon, Thu"), in the active
    language."""
    parts = dict(part.split("=", 1) for part in text.split(";"))
    interval = int(parts.get("INTERVAL", "1") or 1)
    words = [_every(parts["FREQ"], interval)]
    if "BYDAY" in parts:
        days = ", ".join(_day_name(day) for day in parts["BYDAY"].split(","))
        words.append(gettext("on %(days)s") % {"days": days})
    if "BYMONTHDAY" in parts:
        days = parts["BYMONTHDAY"]
        if parts.get("BYSETPOS") == "-1" or days == "-1":
            words.append(
                gettext("on the last day")
                if days == "-1"
                else gettext("on day %(day)s") % {"day": days.split(",")[-1]}
            )
        else:
            words.append(gettext("on day %(day)s") % {"day": days})
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        words.append(ngettext("%(count)d time", "%(count)d times", count) % {"count": count})
    if "UNTIL" in parts:
        until = parts["UNTIL"]
        words.append(gettext("until %(date)s") % {"date": f"{until[:4]}-{until[4:6]}-{until[6:8]}"})
    return " ".join(words)


def _every(freq: str, interval: int) -> str:
    """ "every week", "every 2 weeks"…"""
    if interval == 1:
        return {
            "DAILY": gettext("every day"),
            "WEEKLY": gettext("every week"),
            "MONTHLY": gettext("every month"),
            "YEARLY": gettext("every year"),
        }[freq]
    values = {"n": interval}
    if freq == "DAILY":
        return ngettext("every %(n)d day", "every %(n)d days", interval) % values
    if freq == "WEEKLY":
        return ngettext("every %(n)d week", "every %(n)d weeks", interval) % values
    if freq == "MONTHLY":
        return ngettext("every %(n)d month", "every %(n)d months", interval) % values
    return ngettext("every %(n)d year", "every %(n)d years", interval) % values


DAY_NAMES = {
    "MO": pgettext_lazy("weekday", "Mon"),
    "TU": pgettext_lazy("weekday", "Tue"),
    "WE": pgettext_lazy("weekday", "Wed"),
    "TH": pgettext_lazy("weekday", "Thu"),
    "FR": pgettext_lazy("weekday", "Fri"),
    "SA": pgettext_lazy("weekday", "Sat"),
    "SU": pgettext_lazy("weekday", "Sun"),
}
ORDINALS = {
    "1": pgettext_lazy("nth weekday of the month", "1st"),
    "2": pgettext_lazy("nth weekday of the month", "2nd"),
    "3": pgettext_lazy("nth weekday of the month", "3rd"),
    "4": pgettext_lazy("nth weekday of the month", "4th"),
    "-1": pgettext_lazy("nth weekday of the month", "last"),
}


def _day_name(day: str) -> str:
    """`MO` → "Mon", `-1FR` → "last Fri", `2TU` → "2nd Tue"."""
    name = str(DAY_NAMES.get(day[-2:], day[-2:]))
    ordinal = day[:-2].lstrip("+")
    return f"{ORDINALS.get(ordinal, ordinal)} {name}" if ordinal else name
