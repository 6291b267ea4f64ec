import datetime
import zoneinfo

import pytest

from accounts.factories import UserFactory
from integrations.slack import services
from tests.fakes.slack import Member, Team

REDIRECT_URI = "http://testserver/integrations/slack/oauth/callback"
KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def team():
    return Team()


@pytest.fixture
def olena(team):
    return Member(id="U0OLENA001", name="olena", team=team)


@pytest.fixture
def mike(team):
    return Member(id="U0MIKE0001", name="mike", team=team)


def user_in(zone: str, email: str, week_start: int = 0):
    user = UserFactory(email=email)
    user.settings.timezone = zone
    user.settings.week_start = week_start
    user.settings.save()
    return user


def connect(slack, user, member):
    """Link `user` to `member` the way Add to Slack does: a code from Slack's consent page,
    traded for the bot token over HTTP."""
    code = slack.issue_code(member, REDIRECT_URI)
    return services.install(user=user, code=code, redirect_uri=REDIRECT_URI)


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=datetime.UTC)
