"""The `<C:filter>` of a calendar-query REPORT (RFC 4791 §9.7), tested on a rendered calendar.

Supported: nested comp-filters, is-not-defined, time-range on components and properties, and
text-match (case-insensitive substring, optionally negated). A param-filter is not checked: the
collection holds only to-dos of one shape, so it never narrows a client's query meaningfully.
"""

import datetime as dt
import xml.etree.ElementTree as ET

import icalendar

from .dav import BadRequest, c


def matches(query_filter: ET.Element | None, calendar: icalendar.Calendar, tzinfo) -> bool:
    if query_filter is None:
        return True
    top = query_filter.find(c("comp-filter"))
    if top is None:
        return True
    return _component_matches(top, calendar, tzinfo)


def _component_matches(comp_filter: ET.Element, component, tzinfo) -> bool:
    if comp_filter.get("name", "").upper() != component.name:
        return False
    if comp_filter.find(c("is-not-defined")) is not None:
        return False
    time_range = comp_filter.find(c("time-range"))
    if time_range is not None and not _component_in_range(component, time_range, tzinfo):
        return False
    for prop_filter in comp_filter.findall(c("prop-filter")):
        if not _prop_matches(prop_filter, component, tzinfo):
            return False
    for child in comp_filter.findall(c("comp-filter")):
        name = child.get("name", "").upper()
        subcomponents = [sub for sub in component.subcomponents if sub.name == name]
        if child.find(c("is-not-defined")) is not None:
            if subcomponents:
                return False
        elif not any(_component_matches(child, sub, tzinfo) for sub in subcomponents):
            return False
    return True


def _prop_matches(prop_filter: ET.Element, component, tzinfo) -> bool:
    prop = component.get(prop_filter.get("name", "").lower())
    if prop_filter.find(c("is-not-defined")) is not None:
        return prop is None
    if prop is None:
        return False
    time_range = prop_filter.find(c("time-range"))
    if time_range is not None:
        start, end = _range(time_range)
        moment = _moment(prop.dt, tzinfo)
        if (start and moment < start) or (end and moment >= end):
            return False
    text_match = prop_filter.find(c("text-match"))
    if text_match is not None:
        values = prop if isinstance(prop, list) else [prop]
        text = "\n".join(_text(value) for value in values).casefold()
        found = (text_match.text or "").casefold() in text
        negate = text_match.get("negate-condition", "no") == "yes"
        if found == negate:
            return False
    return True


def _text(value) -> str:
    if hasattr(value, "cats"):  # CATEGORIES
        return ",".join(value.cats)
    return str(value)


def _range(time_range: ET.Element) -> tuple[dt.datetime | None, dt.datetime | None]:
    start, end = time_range.get("start"), time_range.get("end")
    try:
        return (_utc(start) if start else None, _utc(end) if end else None)
    except ValueError as exc:
        raise BadRequest("A time-range needs UTC date-times such as 20260101T000000Z.") from exc


def _utc(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


def _moment(value, tzinfo) -> dt.datetime:
    """A DATE or DATE-TIME value as an aware date-time; dates and floating times are local."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value if value.tzinfo else value.replace(tzinfo=tzinfo)


def _component_in_range(component, time_range: ET.Element, tzinfo) -> bool:
    """RFC 4791 §9.9 for a VTODO, by the dates it has: its start and due, or else its
    completion or creation; one with none of them matches any range."""
    start, end = _range(time_range)
    begin = component.get("dtstart")
    due = component.get("due")
    if due is not None:
        first = _moment((begin or due).dt, tzinfo)
        last = _moment(due.dt, tzinfo)
        if not isinstance(due.dt, dt.datetime):
            last += dt.timedelta(days=1)  # a due date lasts the whole day
    else:
        moment = component.get("completed") or component.get("created") or begin
        if moment is None:
            return True
        first = last = _moment(moment.dt, tzinfo)
    return (end is None or first < end) and (start is None or last >= start)
