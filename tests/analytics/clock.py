"""The fixed clock of the analytics tests and helpers to name moments and days on it."""

import datetime

from accounts.services import settings_for

# A Wednesday; with weeks starting on Monday this week is 9-15 March.
NOW = datetime.datetime(2026, 3, 11, 12, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()


def at(day: int, hour: int = 12, minute: int = 0, month: int = 3) -> datetime.datetime:
    """A moment of 2026 in UTC (in March unless told otherwise)."""
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=datetime.UTC)


def on(day: int, month: int = 3) -> datetime.date:
    return datetime.date(2026, month, day)


def set_calendar(user, *, timezone: str = "UTC", week_start: int = 0) -> None:
    user_settings = settings_for(user)
    user_settings.timezone = timezone
    user_settings.week_start = week_start
    user_settings.save()
