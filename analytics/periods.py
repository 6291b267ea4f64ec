"""A user's calendar: their today, week and month, and where their days begin in UTC."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import settings_for

ONE_DAY = datetime.timedelta(days=1)
# The longest range the productivity view computes (a day-by-day series).
MAX_PERIOD_DAYS = 366
# The days a chosen range may cover. The figures also read the week before the range and the
# midnight after it, which must stay within `datetime.date`'s years 1..9999.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(9998, 12, 31)


@dataclass(frozen=True)
class UserCalendar:
    tzinfo: zoneinfo.ZoneInfo
    week_start: int  # 0 = Monday ... 6 = Sunday, as `date.weekday()`
    today: datetime.date

    @classmethod
    def of(cls, user) -> "UserCalendar":
        """The calendar of `user` as of now (one query: the user's settings)."""
        return cls.from_settings(settings_for(user))

    @classmethod
    def from_settings(cls, user_settings) -> "UserCalendar":
        """The calendar of already loaded `UserSettings` (e.g. `request.user_settings`)."""
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


def days_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every day from `start` to `end`, both included."""
    return [start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]


def validate_range(start: datetime.date | None, end: datetime.date | None) -> None:
    """The rules of a chosen `from`..`to` range, shared by the API and the web form."""
    errors = {
        name: _("Choose a date from %(first)s to %(last)s.")
        % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
        for name, day in (("from", start), ("to", end))
        if day is not None and not FIRST_DAY <= day <= LAST_DAY
    }
    if errors:
        raise ValidationError(errors)
    if (start is None) != (end is None):
        missing = "to" if end is None else "from"
        errors[missing] = _("Give both “from” and “to”, or neither.")
    elif start is not None and end < start:
        errors["to"] = _("“to” may not precede “from”.")
    elif start is not None and (end - start).days + 1 > MAX_PERIOD_DAYS:
        errors["to"] = _("Choose at most %(days)s days.") % {"days": MAX_PERIOD_DAYS}
    if errors:
        raise ValidationError(errors)
