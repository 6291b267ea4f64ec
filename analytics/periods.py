"""The date ranges the figures are computed over, and the rules of a chosen range."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The longest range the productivity view computes (a day-by-day series).
MAX_PERIOD_DAYS = 366
# The days a chosen range may cover. The figures also read the week before the range and the
# midnight after it, which must stay within `datetime.date`'s years 1..9999.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(9998, 12, 31)


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
    elif start is not None and end is not None:
        if end < start:
            errors["to"] = _("“to” may not precede “from”.")
        elif (end - start).days + 1 > MAX_PERIOD_DAYS:
            errors["to"] = _("Choose at most %(days)s days.") % {"days": MAX_PERIOD_DAYS}
    if errors:
        raise ValidationError(errors)
