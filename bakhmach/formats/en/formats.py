# The app's one format per context in English ("Dec 1, 2026"); see the Ukrainian one beside it.
DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "M j"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
YEAR_MONTH_FORMAT = "F Y"
