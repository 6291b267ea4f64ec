"""Calendars: a subscription feed (iCalendar) and two-way CalDAV sync of tasks."""
