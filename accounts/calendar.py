"""A user's calendar: their today, week and month, and where their days begin in UTC.

The one definition of "today" for a user: every page, API answer, document and count asks
`UserCalendar.of(user).today` (never `timezone.localdate()`, which follows the server's zone).
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

from .services import settings_for

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class UserCalendar:
    tzinfo: zoneinfo.ZoneInfo
    week_start: int  # 0 = Monday ... 6 = Sunday, as `date.weekday()`
    today: datetime.date

    @classmethod
    def of(cls, user, *, user_settings=None) -> "UserCalendar":
        """The calendar of `user` as of now: their zone, week start and today.

        It reads the user's settings (one query) unless they are passed in already loaded, as
        pages do with `request.user_settings`.
        """
        user_settings = user_settings or settings_for(user)
        tzinfo = user_settings.tzinfo
        return cls(
            tzinfo=tzinfo,
            week_start=user_settings.week_start,
            today=timezone.localdate(timezone=tzinfo),
        )

    @property
    def cache_key(self) -> tuple:
        """What a cached figure depends on besides the data: the zone, week start and date."""
        return (self.tzinfo.key, self.week_start, self.today)

    def midnight(self, day: datetime.date) -> datetime.datetime:
        """The moment `day` begins for this user (aware; the database compares it in UTC)."""
        return datetime.datetime.combine(day, datetime.time(), tzinfo=self.tzinfo)

    def week(self) -> tuple[datetime.date, datetime.date]:
        """First and last day of the current week, which starts on the user's chosen weekday."""
        start = self.today - datetime.timedelta(days=(self.today.weekday() - self.week_start) % 7)
        return start, start + datetime.timedelta(days=6)

    def month(self) -> tuple[datetime.date, datetime.date]:
        start = self.today.replace(day=1)
        next_month = (start + datetime.timedelta(days=31)).replace(day=1)
        return start, next_month - ONE_DAY
