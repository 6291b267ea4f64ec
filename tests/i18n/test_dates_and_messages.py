"""One date format per context, Ukrainian genitive months, the year when it is not this one; and
messages sent outside a request, in the recipient's language."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext

from accounts.services import settings_for, update_settings
from goals.factories import GoalFactory
from lib import notifications
from lib.i18n import in_language_of, language_of

NOW = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("uk", ["1 грудня 2026", "1 грудня 2026, 09:30", "1 грудня", "01.12.2026", "Грудень 2026"]),
        ("en", ["Dec 1, 2026", "Dec 1, 2026, 09:30", "Dec 1", "2026-12-01", "December 2026"]),
    ],
)
def test_the_named_formats(language, expected):
    day, moment = NOW.date(), NOW.replace(tzinfo=None)
    with translation.override(language):
        assert [
            formats.date_format(day),
            formats.date_format(moment, "DATETIME_FORMAT"),
            formats.date_format(day, "MONTH_DAY_FORMAT"),
            formats.date_format(day, "SHORT_DATE_FORMAT"),
            formats.date_format(day, "YEAR_MONTH_FORMAT"),
        ] == expected


@pytest.mark.parametrize(
    ("day", "uk", "en"),
    [
        (datetime.date(2026, 6, 1), "1 червня", "Jun 1"),
        (datetime.date(2028, 6, 1), "1 червня 2028", "Jun 1, 2028"),
        (datetime.date(2025, 3, 3), "3 березня 2025", "Mar 3, 2025"),
    ],
)
def test_a_day_without_its_year_shows_it_when_not_this_year(now, day, uk, en):
    template = Template("{{ day|day_month }}")
    for language, expected in (("uk", uk), ("en", en)):
        with translation.override(language):
            assert template.render(Context({"day": day})) == expected


def test_numbers_are_localised():
    with translation.override("uk"):
        assert Template("{{ n }}").render(Context({"n": 21.5})) == "21,5"
        assert Template("{% load l10n %}{{ n|unlocalize }}").render(Context({"n": 21.5})) == "21.5"


@pytest.mark.django_db
def test_dashboard_dates_in_ukrainian(now, web_client, user):
    update_settings(user_settings=settings_for(user), language="uk")
    GoalFactory(user=user, title="Пробігти півмарафон", target_date=datetime.date(2028, 6, 1))
    GoalFactory(user=user, title="Прочитати 12 книжок", target_date=datetime.date(2026, 12, 24))
    html = web_client.get(reverse("dashboard")).content.decode()
    assert "вівторок, 1 грудня" in html.lower()
    assert "до 1 червня 2028" in html
    assert "до 24 грудня<" in html


@pytest.mark.django_db
def test_language_of_a_user(user):
    assert language_of(user) == "en"
    update_settings(user_settings=settings_for(user), language="uk")
    user.refresh_from_db()
    assert language_of(user) == "uk"
    with translation.override("en"):
        with in_language_of(user):
            assert gettext("Dashboard") == "Панель"
        assert gettext("Dashboard") == "Dashboard"


class _RecordingChannel:
    """A channel that keeps what it was given, and in which language it was asked to send."""

    name = "recording"

    def __init__(self):
        self.sent = []

    def reaches(self, user):
        return True

    def send(self, notification):
        self.sent.append((translation.get_language(), gettext("Dashboard")))


@pytest.mark.django_db
def test_a_notification_goes_out_in_the_recipients_language(user):
    update_settings(user_settings=settings_for(user), language="uk")
    user.refresh_from_db()
    channel = _RecordingChannel()
    notifications.register(channel)
    try:
        notifications.deliver(notifications.Notification(user=user, subject="s", body="b"))
    finally:
        notifications.unregister(channel.name)
    assert channel.sent == [("uk", "Панель")]
