# ruff: noqa: RUF001
"""Quick add's parser: one table of what people type, in English and Ukrainian."""

import datetime

import pytest

from tasks import recurrence
from tasks.parsing import parse_quick_add

# A Wednesday; the week starts on Monday unless a case says otherwise.
TODAY = datetime.date(2026, 12, 2)
D = datetime.date
T = datetime.time

# text → expected fields (those not named are empty: no date, time, priority, labels, rule).
CASES = [
    # The examples.
    ("Call mom tomorrow 18:00 p1 #family",
     {"title": "Call mom", "due_date": D(2026, 12, 3), "due_time": T(18), "priority": 1,
      "labels": ["family"]}),
    ("every monday review budget",
     {"title": "review budget", "due_date": D(2026, 12, 7), "recurrence": "FREQ=WEEKLY;BYDAY=MO"}),
    ("Dentist next fri", {"title": "Dentist", "due_date": D(2026, 12, 11)}),
    ("Pay the bill in 3 days", {"title": "Pay the bill", "due_date": D(2026, 12, 5)}),
    ("Купити хліб завтра", {"title": "Купити хліб", "due_date": D(2026, 12, 3)}),
    ("щопонеділка планування тижня",
     {"title": "планування тижня", "due_date": D(2026, 12, 7),
      "recurrence": "FREQ=WEEKLY;BYDAY=MO"}),
    # Plain titles stay whole.
    ("Read a book", {"title": "Read a book"}),
    ("Pay 12.50 for lunch", {"title": "Pay 12.50 for lunch"}),
    ("Прочитати книжку", {"title": "Прочитати книжку"}),
    # Days by name.
    ("Report today", {"title": "Report", "due_date": TODAY}),
    ("Report tmr", {"title": "Report", "due_date": D(2026, 12, 3)}),
    ("Visit gran the day after tomorrow", {"title": "Visit gran", "due_date": D(2026, 12, 4)}),
    ("Звіт сьогодні", {"title": "Звіт", "due_date": TODAY}),
    ("Зустріч післязавтра", {"title": "Зустріч", "due_date": D(2026, 12, 4)}),
    ("tonight movie with friends",
     {"title": "movie with friends", "due_date": TODAY, "due_time": T(19)}),
    ("post letter on monday", {"title": "post letter", "due_date": D(2026, 12, 7)}),
    ("gym wednesday", {"title": "gym", "due_date": D(2026, 12, 9)}),  # today is Wednesday: next one
    ("Звіт у п'ятницю", {"title": "Звіт", "due_date": D(2026, 12, 4)}),
    ("Звіт у п’ятницю", {"title": "Звіт", "due_date": D(2026, 12, 4)}),  # typographic apostrophe
    ("Прибирання в суботу", {"title": "Прибирання", "due_date": D(2026, 12, 5)}),
    ("Дзвінок наступного понеділка", {"title": "Дзвінок", "due_date": D(2026, 12, 7)}),
    ("Дзвінок наступної п'ятниці", {"title": "Дзвінок", "due_date": D(2026, 12, 11)}),
    ("Plan next week", {"title": "Plan", "due_date": D(2026, 12, 7)}),
    ("Budget next month", {"title": "Budget", "due_date": D(2027, 1, 1)}),
    ("Hike this weekend", {"title": "Hike", "due_date": D(2026, 12, 5)}),
    ("Review in 2 weeks", {"title": "Review", "due_date": D(2026, 12, 16)}),
    ("Review in a month", {"title": "Review", "due_date": D(2027, 1, 2)}),
    ("Renew passport in 1 year", {"title": "Renew passport", "due_date": D(2027, 12, 2)}),
    ("через 3 дні перевірити пошту", {"title": "перевірити пошту", "due_date": D(2026, 12, 5)}),
    ("через тиждень оплатити", {"title": "оплатити", "due_date": D(2026, 12, 9)}),
    ("через 2 місяці візит", {"title": "візит", "due_date": D(2027, 2, 2)}),
    # Calendar dates: the next such day, or the year given.
    ("report 2027-01-15", {"title": "report", "due_date": D(2027, 1, 15)}),
    ("march 3rd birthday", {"title": "birthday", "due_date": D(2027, 3, 3)}),
    ("Party on 31 december", {"title": "Party", "due_date": D(2026, 12, 31)}),
    ("Taxes April 30, 2027", {"title": "Taxes", "due_date": D(2027, 4, 30)}),
    ("Ялинка 24 грудня", {"title": "Ялинка", "due_date": D(2026, 12, 24)}),
    ("Іспит 15.01", {"title": "Іспит", "due_date": D(2027, 1, 15)}),
    ("Іспит 15.01.2028", {"title": "Іспит", "due_date": D(2028, 1, 15)}),
    ("Deadline 1 march 2027", {"title": "Deadline", "due_date": D(2027, 3, 1)}),
    # Times of day.
    ("standup 9:30am", {"title": "standup", "due_date": TODAY, "due_time": T(9, 30)}),
    ("call at 6pm", {"title": "call", "due_date": TODAY, "due_time": T(18)}),
    ("Lunch at noon tomorrow", {"title": "Lunch", "due_date": D(2026, 12, 3), "due_time": T(12)}),
    ("Дзвінок завтра о 14:30",
     {"title": "Дзвінок", "due_date": D(2026, 12, 3), "due_time": T(14, 30)}),
    ("Тренування о 7", {"title": "Тренування", "due_date": TODAY, "due_time": T(7)}),
    # Priority and labels.
    ("Fix the bug p2 #work @urgent",
     {"title": "Fix the bug", "priority": 2, "labels": ["work", "urgent"]}),
    ("Звіт п1 #робота #дім #Робота", {"title": "Звіт", "priority": 1, "labels": ["робота", "дім"]}),
    ("Call P5", {"title": "Call", "priority": 5}),
    ("Email ops about mp3 files", {"title": "Email ops about mp3 files"}),
    # Repeat rules.
    ("Stretch every day", {"title": "Stretch", "due_date": TODAY, "recurrence": "FREQ=DAILY"}),
    ("Vitamins daily", {"title": "Vitamins", "due_date": TODAY, "recurrence": "FREQ=DAILY"}),
    ("standup every weekday at 9:30",
     {"title": "standup", "due_date": TODAY, "due_time": T(9, 30),
      "recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}),
    ("gym every mon and thu",
     {"title": "gym", "due_date": D(2026, 12, 3), "recurrence": "FREQ=WEEKLY;BYDAY=MO,TH"}),
    ("gym every monday, thursday",
     {"title": "gym", "due_date": D(2026, 12, 3), "recurrence": "FREQ=WEEKLY;BYDAY=MO,TH"}),
    ("Rent every month on the 15th",
     {"title": "Rent", "due_date": D(2026, 12, 15), "recurrence": "FREQ=MONTHLY;BYMONTHDAY=15"}),
    ("Rent every 31st",
     {"title": "Rent", "due_date": D(2026, 12, 31), "recurrence": "FREQ=MONTHLY;BYMONTHDAY=-1"}),
    ("Invoice every 30th",
     {"title": "Invoice", "due_date": D(2026, 12, 30),
      "recurrence": "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"}),
    ("payroll every last friday",
     {"title": "payroll", "due_date": D(2026, 12, 25), "recurrence": "FREQ=MONTHLY;BYDAY=-1FR"}),
    ("Backup every 2 weeks",
     {"title": "Backup", "due_date": TODAY, "recurrence": "FREQ=WEEKLY;INTERVAL=2"}),
    ("Checkup every year", {"title": "Checkup", "due_date": TODAY, "recurrence": "FREQ=YEARLY"}),
    ("water plants every! 3 days",
     {"title": "water plants", "due_date": TODAY, "recurrence": "FREQ=DAILY;INTERVAL=3",
      "recurs_after_completion": True}),
    ("haircut every 4 weeks after completion",
     {"title": "haircut", "due_date": TODAY, "recurrence": "FREQ=WEEKLY;INTERVAL=4",
      "recurs_after_completion": True}),
    ("Weekly review every friday 17:00 p2",
     {"title": "Weekly review", "due_date": D(2026, 12, 4), "due_time": T(17), "priority": 2,
      "recurrence": "FREQ=WEEKLY;BYDAY=FR"}),
    ("Медитація щодня", {"title": "Медитація", "due_date": TODAY, "recurrence": "FREQ=DAILY"}),
    ("Зарядка кожен день о 7:00",
     {"title": "Зарядка", "due_date": TODAY, "due_time": T(7), "recurrence": "FREQ=DAILY"}),
    ("щоп'ятниці звіт",
     {"title": "звіт", "due_date": D(2026, 12, 4), "recurrence": "FREQ=WEEKLY;BYDAY=FR"}),
    ("щопонеділка і щочетверга спортзал",
     {"title": "спортзал", "due_date": D(2026, 12, 3), "recurrence": "FREQ=WEEKLY;BYDAY=MO,TH"}),
    ("кожного вівторка англійська",
     {"title": "англійська", "due_date": D(2026, 12, 8), "recurrence": "FREQ=WEEKLY;BYDAY=TU"}),
    ("кожні 2 тижні прибирання",
     {"title": "прибирання", "due_date": TODAY, "recurrence": "FREQ=WEEKLY;INTERVAL=2"}),
    ("Оренда кожного 5 числа",
     {"title": "Оренда", "due_date": D(2026, 12, 5), "recurrence": "FREQ=MONTHLY;BYMONTHDAY=5"}),
    ("Звіт щомісяця", {"title": "Звіт", "due_date": TODAY, "recurrence": "FREQ=MONTHLY"}),
    ("Планування по буднях",
     {"title": "Планування", "due_date": TODAY, "recurrence": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}),
    ("Review budget every monday starting 2027-01-04",
     {"title": "Review budget starting", "due_date": D(2027, 1, 4),
      "recurrence": "FREQ=WEEKLY;BYDAY=MO"}),
]  # fmt: skip

EMPTY = {
    "due_date": None,
    "due_time": None,
    "priority": None,
    "labels": [],
    "recurrence": None,
    "recurs_after_completion": False,
}


def test_the_table_has_at_least_forty_cases_in_each_language():
    ukrainian = [text for text, _ in CASES if any("а" <= char <= "я" for char in text.lower())]
    assert len(CASES) >= 40
    assert len(ukrainian) >= 20
    assert len(CASES) - len(ukrainian) >= 40


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text for text, _ in CASES])
def test_parse(text, expected):
    parsed = parse_quick_add(text, today=TODAY).as_dict()

    assert parsed == EMPTY | expected


@pytest.mark.parametrize("text", [text for text, fields in CASES if fields.get("recurrence")])
def test_every_rule_it_writes_is_one_the_app_accepts(text):
    rule = parse_quick_add(text, today=TODAY).recurrence

    assert recurrence.normalize(rule) == rule


def test_next_weekday_follows_the_users_week_start():
    # Sunday 2026-12-06; with weeks starting on Sunday, "next monday" is in the week from Dec 13.
    sunday = datetime.date(2026, 12, 6)

    assert parse_quick_add("x next mon", today=sunday, week_start=0).due_date == D(2026, 12, 7)
    assert parse_quick_add("x next mon", today=sunday, week_start=6).due_date == D(2026, 12, 14)


def test_only_the_first_date_is_read_and_the_second_stays_in_the_title():
    parsed = parse_quick_add("Move meeting from monday to tomorrow", today=TODAY)

    assert parsed.due_date == D(2026, 12, 3)
    assert parsed.title == "Move meeting from monday to"


@pytest.mark.parametrize("text", ["", "   ", "tomorrow", "#family p1"])
def test_nothing_but_fields_leaves_an_empty_title(text):
    assert parse_quick_add(text, today=TODAY).title == ""


@pytest.mark.parametrize(
    "text", ["Report 31.02", "Report 2026-13-40", "in 999 years", "x" * 5000, "every 0 days"]
)
def test_impossible_or_huge_input_never_raises(text):
    parse_quick_add(text, today=TODAY)
