"""iCalendar (RFC 5545) in and out, with the `icalendar` library: the feed's events, the
CalDAV collection's to-dos, and what a client's to-do asks of a task.

Escaping and line folding are the library's; this module decides what goes in.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar
from dateutil import rrule
from django.core.exceptions import ValidationError

from goals.models import Goal
from plans.models import Plan
from tasks import recurrence
from tasks.models import Task

PRODID = "-//Bakhmach Business Hub//Calendar//EN"
UID_DOMAIN = "bakhmach"
FEED_REFRESH = dt.timedelta(hours=1)
# How long a task with a due time lasts in a calendar when no time block says otherwise.
DEFAULT_BLOCK_MINUTES = 30

# Task priority 1 (highest) … 5 (lowest) and iCalendar's 1 (highest) … 9 (lowest), 0 undefined.
_ICAL_PRIORITY = {1: 1, 2: 3, 3: 5, 4: 7, 5: 9}


def task_priority(ical_priority: int) -> int:
    if not 1 <= ical_priority <= 9:
        return Task.Priority.NORMAL
    return (ical_priority + 1) // 2


def sequence(obj) -> int:
    """SEQUENCE: seconds from creation to the last change, so it grows with every edit."""
    return max(0, int((obj.updated_at - obj.created_at).total_seconds()))


def _stamped(component, obj) -> None:
    """DTSTAMP, CREATED, LAST-MODIFIED and SEQUENCE of an object that keeps its own times.

    DTSTAMP is the last change, as RFC 5545 asks of an object outside a scheduling message,
    so that an unchanged item renders byte for byte the same and the ETag holds.
    """
    component.add("dtstamp", obj.updated_at)
    component.add("created", obj.created_at)
    component.add("last-modified", obj.updated_at)
    component.add("sequence", sequence(obj))


def _all_day(component, day: dt.date | None) -> None:
    if day is None:  # the feed's selector reads dated rows only
        raise ValueError("An all-day event needs a date.")
    component.add("dtstart", day)
    component.add("dtend", day + dt.timedelta(days=1))
    component.add("transp", "TRANSPARENT")  # a deadline does not make the day busy


def new_calendar(name: str, *, description: str = "") -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    return calendar


@dataclass(frozen=True)
class FeedItems:
    tasks: list[Task]
    goals: list[Goal]
    plans: list[Plan]
    tzinfo: ZoneInfo  # the owner's: tasks with a due time happen at that time there


def block_minutes(task: Task) -> int:
    """The length of a task's time block (read with the task), or the default."""
    block = getattr(task, "time_block", None)
    return block.minutes if block is not None else DEFAULT_BLOCK_MINUTES


def block_end(task: Task) -> dt.time | None:
    """When a task's time block ends (its due time plus its length), None without a time."""
    if task.due_date is None or task.due_time is None:
        return None
    start = dt.datetime.combine(task.due_date, task.due_time)
    return (start + dt.timedelta(minutes=block_minutes(task))).time()


def _due_moment(task: Task, tzinfo: ZoneInfo) -> dt.date | dt.datetime | None:
    """When a task is due: its date, or the date and time in the owner's zone."""
    if task.due_date is None or task.due_time is None:
        return task.due_date
    return dt.datetime.combine(task.due_date, task.due_time, tzinfo=tzinfo)


def series_rule(task: Task) -> str | None:
    """The RRULE a calendar sees for a repeating task, from its current occurrence on; None
    for a one-off task, a finished series, or a habit (its next date counts from completion,
    which no RRULE says).

    Calendars start the series at the current occurrence (DTSTART), so a COUNT, which counts
    from the series' real start, becomes the UNTIL of its last date.
    """
    if not task.recurrence or task.recurs_after_completion or task.is_completed:
        return None
    parts = dict(part.split("=", 1) for part in task.recurrence.split(";"))
    if "COUNT" in parts:
        first = task.recurrence_start or task.due_date
        assert first is not None  # a repeating task has both (task_recurring_has_dates)
        start = dt.datetime.combine(first, dt.time())
        last = list(rrule.rrulestr(task.recurrence, dtstart=start))[-1].date()
        del parts["COUNT"]
        parts["UNTIL"] = f"{last:%Y%m%d}"
    return ";".join(f"{name}={value}" for name, value in parts.items())


def _repeat(component, task: Task, start) -> None:
    """RRULE for a repeating task whose current occurrence starts at `start`."""
    rule = series_rule(task)
    if rule is None:
        return
    if isinstance(start, dt.datetime) and "UNTIL=" in rule:
        # With a date-time DTSTART, UNTIL is a UTC date-time too (RFC 5545 §3.3.10): the end
        # of the last day, in the owner's zone.
        parts = dict(part.split("=", 1) for part in rule.split(";"))
        last = dt.datetime.strptime(parts["UNTIL"], "%Y%m%d").date()
        until = dt.datetime.combine(last, start.timetz()).astimezone(dt.UTC)
        parts["UNTIL"] = f"{until:%Y%m%dT%H%M%SZ}"
        rule = ";".join(f"{name}={value}" for name, value in parts.items())
    component.add("rrule", icalendar.vRecur.from_ical(rule))


# Part of every feed's ETag: bump it when the feed's rendering changes, so that subscribers
# fetch the new form even though their data did not change.
FEED_FORMAT = 2


def feed_fingerprint(items: FeedItems, *, name: str, base_url: str) -> str:
    """A digest of everything the feed's body is made of, without rendering it: the ETag.

    Rendering is the costly part of a poll (the library takes about a millisecond an event),
    so an unchanged feed is recognised from its rows and answers 304 without it.
    """
    digest = hashlib.sha256(repr((FEED_FORMAT, name, base_url, items.tzinfo.key)).encode())
    for task in items.tasks:
        goal_title = _goal_title(task)
        digest.update(repr((task.pk, task.title, task.description, task.due_date)).encode())
        digest.update(repr((task.due_time, block_minutes(task), task.priority)).encode())
        digest.update(repr((task.completed_at, task.created_at, task.updated_at)).encode())
        digest.update(repr((task.recurrence, task.recurs_after_completion)).encode())
        digest.update(repr(goal_title).encode())
    for goal in items.goals:
        digest.update(repr((goal.pk, goal.title, goal.description, goal.domain)).encode())
        digest.update(repr((goal.progress, goal.target_date, goal.created_at)).encode())
        digest.update(repr(goal.updated_at).encode())
    for plan in items.plans:
        digest.update(repr((plan.pk, plan.title, plan.end_date, plan.created_at)).encode())
        digest.update(repr(plan.updated_at).encode())
    return digest.hexdigest()[:32]


def feed_calendar(items: FeedItems, *, name: str, base_url: str) -> bytes:
    """The subscription feed: tasks on their due dates, goals' and plans' dates, as VEVENTs."""
    calendar = new_calendar(name, description="Due tasks and goal deadlines from Bakhmach.")
    calendar.add("method", "PUBLISH")
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", FEED_REFRESH)
    calendar.add("x-wr-timezone", items.tzinfo.key)
    for task in items.tasks:
        calendar.add_component(_task_event(task, base_url, items.tzinfo))
    for goal in items.goals:
        calendar.add_component(_goal_event(goal, base_url))
    for plan in items.plans:
        calendar.add_component(_plan_event(plan, base_url))
    calendar.add_missing_timezones()  # a VTIMEZONE for the TZID of timed events
    return calendar.to_ical()


def _task_event(task: Task, base_url: str, tzinfo: ZoneInfo) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"task-{task.pk}@{UID_DOMAIN}")
    _stamped(event, task)
    event.add("summary", f"✓ {task.title}" if task.is_completed else task.title)
    lines = [task.description] if task.description else []
    goal_title = _goal_title(task)
    if goal_title is not None:
        lines.append(f"Goal: {goal_title}")
    if lines:
        event.add("description", "\n\n".join(lines))
    start = _due_moment(task, tzinfo)
    if isinstance(start, dt.datetime):  # a time block: busy from the due time, for its length
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=block_minutes(task)))
    else:
        _all_day(event, start)
    _repeat(event, task, start)
    event.add("priority", _ICAL_PRIORITY[task.priority])
    event.add("categories", ["Task"])
    event.add("url", base_url + task.get_absolute_url())
    return event


def _goal_title(task: Task) -> str | None:
    goal = task.goal if task.goal_id else None  # read with the task (select_related)
    return goal.title if goal is not None else None


def _goal_event(goal: Goal, base_url: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"goal-{goal.pk}@{UID_DOMAIN}")
    _stamped(event, goal)
    event.add("summary", f"Goal: {goal.title}")
    lines = [f"{goal.get_domain_display()} goal, {goal.progress}% done."]
    if goal.description:
        lines.append(goal.description)
    event.add("description", "\n\n".join(lines))
    _all_day(event, goal.target_date)
    event.add("categories", ["Goal"])
    event.add("url", base_url + goal.get_absolute_url())
    return event


def _plan_event(plan: Plan, base_url: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"plan-{plan.pk}-end@{UID_DOMAIN}")
    _stamped(event, plan)
    event.add("summary", f"Plan ends: {plan.title}")
    event.add("description", "Time to review this plan and write the next one.")
    _all_day(event, plan.end_date)
    event.add("categories", ["Plan"])
    event.add("url", base_url + plan.get_absolute_url())
    return event


# --- CalDAV: tasks as VTODOs -------------------------------------------------------------------


def default_uid(task: Task) -> str:
    return f"{task.pk}@{UID_DOMAIN}"


def default_name(task: Task) -> str:
    return f"{task.pk}.ics"


def etag(task: Task) -> str:
    """A task's ETag (quoted): it changes with every write, as each one moves `updated_at`."""
    stamp = f"{task.pk}:{task.updated_at.isoformat()}"
    return '"' + hashlib.sha256(stamp.encode()).hexdigest()[:32] + '"'


def todo_calendar(task: Task, *, uid: str, tzinfo: ZoneInfo) -> icalendar.Calendar:
    """One task as a calendar object resource: a VCALENDAR with one VTODO."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    todo = icalendar.Todo()
    todo.add("uid", uid)
    _stamped(todo, task)
    todo.add("summary", task.title)
    if task.description:
        todo.add("description", task.description)
    due = _due_moment(task, tzinfo)
    if due is not None:
        todo.add("due", due)
        if series_rule(task) is not None:
            # A repeating to-do's series starts at its current occurrence (RRULE needs
            # DTSTART); clients that repeat to-dos write DTSTART and DUE alike.
            todo.add("dtstart", due)
            _repeat(todo, task, due)
    todo.add("priority", _ICAL_PRIORITY[task.priority])
    if task.is_completed:
        todo.add("status", "COMPLETED")
        todo.add("completed", task.completed_at)
        todo.add("percent-complete", 100)
    else:
        todo.add("status", "NEEDS-ACTION")
    calendar.add_component(todo)
    calendar.add_missing_timezones()
    return calendar


@dataclass(frozen=True)
class TodoChange:
    """What a client's VTODO says about its task, in the tasks app's terms."""

    uid: str
    fields: dict  # title, description, priority, due_date, due_time
    completed_at: dt.datetime | None
    # The RRULE, normalised as tasks keep it; None when the to-do has none (the task's own
    # repeat then stays: a client that does not repeat to-dos still ticks one off).
    recurrence: str | None = None


class NotATodo(ValueError):
    """The body is iCalendar but holds no to-do (an event, say): not for this collection."""


def parse_todo(body: bytes, *, tzinfo: dt.tzinfo, now: dt.datetime) -> TodoChange:
    """Read a client's calendar object resource.

    Raises ValidationError for a body that is not iCalendar or breaks the tasks' rules, and
    NotATodo for a valid calendar without exactly one VTODO. A date-time DUE is read in the
    user's time zone (a floating one as written there); completion needs STATUS:COMPLETED or a
    COMPLETED time (without an open STATUS), whose time is used unless it lies in the future.
    """
    try:
        calendar = icalendar.Calendar.from_ical(body)
    except (ValueError, IndexError, KeyError) as exc:
        raise ValidationError("This is not a valid iCalendar object.") from exc
    if calendar.name != "VCALENDAR":
        raise ValidationError("This is not a valid iCalendar object.")
    todos = calendar.walk("VTODO")
    uids = {str(todo.get("uid", "")) for todo in todos}
    if not todos or len(uids) != 1:
        raise NotATodo("A calendar object here holds one to-do (VTODO).")
    # Several VTODOs with one UID are a recurring to-do's overrides; the master (no
    # RECURRENCE-ID) describes the task.
    todo = next((t for t in todos if "recurrence-id" not in t), todos[0])
    uid = uids.pop()
    if not uid:
        raise ValidationError("The to-do has no UID.")
    title = " ".join(str(todo.get("summary", "")).split())
    fields = {
        "title": title,
        "description": str(todo.get("description", "")),
        "priority": task_priority(_integer(todo.get("priority"))),
    }
    fields["due_date"], fields["due_time"] = _due(todo.get("due"), tzinfo)
    return TodoChange(
        uid=uid,
        fields=fields,
        completed_at=_completed(todo, now),
        recurrence=_rule_of(todo, tzinfo),
    )


def _rule_of(todo, tzinfo) -> str | None:
    """The to-do's RRULE as a task's rule, or ValidationError for one tasks cannot keep.

    A UTC UNTIL (the form RFC 5545 asks for beside a zoned DTSTART) is read as the day it is
    in the owner's zone: tasks repeat by day.
    """
    prop = todo.get("rrule")
    if prop is None:
        return None
    if isinstance(prop, list):
        raise ValidationError("A task repeats by one RRULE.")
    rule = icalendar.vRecur(prop)
    until = rule.get("UNTIL")
    if until and isinstance(until[0], dt.datetime) and until[0].tzinfo is not None:
        rule["UNTIL"] = [until[0].astimezone(tzinfo).date()]
    try:
        return recurrence.normalize(rule.to_ical().decode())
    except recurrence.InvalidRule as exc:
        raise ValidationError(f"RRULE: {exc}") from exc


def same_rule(first: str | None, second: str | None) -> bool:
    """Whether two rules (in tasks' spelling) say the same, whatever the order of parts."""

    def parts(rule):
        return set(rule.split(";")) if rule else set()

    return parts(first) == parts(second)


def _integer(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _due(prop, tzinfo) -> tuple[dt.date | None, dt.time | None]:
    """DUE as the task's date and time of day in the owner's zone (a floating time as written;
    a date alone is due all day)."""
    if prop is None:
        return None, None
    value = prop.dt
    if isinstance(value, dt.datetime):
        local = value.astimezone(tzinfo) if value.tzinfo is not None else value
        return local.date(), local.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.date):
        return value, None
    raise ValidationError("DUE must be a date or a date-time.")


def _completed(todo, now: dt.datetime) -> dt.datetime | None:
    status = str(todo.get("status", "")).upper()
    prop = todo.get("completed")
    # An explicit open status wins over a COMPLETED time some clients leave behind on reopening.
    if status in ("NEEDS-ACTION", "IN-PROCESS") or (status != "COMPLETED" and prop is None):
        return None
    when = getattr(prop, "dt", None)
    if isinstance(when, dt.datetime):
        when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
        return min(when, now)
    return now
