"""Dates in the app's named formats (bakhmach/formats/), built into every template.

`{{ day|day_month }}` is a day without its year ("Jun 1", "1 червня") when it falls in the
current year, and the full date ("Jun 1, 2028") when not, so no date hides which year it is.
"Current" is the year of the active time zone's today, which on pages is the user's own
(accounts.middleware.UserTimezoneMiddleware activates it).
"""

import datetime

from django import template
from django.utils import formats, timezone

register = template.Library()


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def day_month(value):
    """The day and month, with the year only when it is not this year's."""
    if not value:
        return ""
    same_year = _as_date(value).year == timezone.localdate().year
    return formats.date_format(_as_date(value), "MONTH_DAY_FORMAT" if same_year else "DATE_FORMAT")
