# The app's one format per context in Ukrainian: the day before the month, and the month in the
# genitive ("1 грудня 2026", Django's `E`); a month with a year alone stays nominative.
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "F Y"
