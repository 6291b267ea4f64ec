"""The per-minute schedule and the settings page cost the same queries for few rows or many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.slack import services
from integrations.slack.models import Delivery
from tests.fakes.slack import Member
from tests.web import request_overhead

from .conftest import connect, user_in, utc

pytestmark = pytest.mark.django_db

# 10:30 UTC: 12:30 in Kyiv, nobody's daily plan, reminder or review is due.
QUIET_MINUTE = utc(2026, 12, 2, 10, 30)


def _connect_many(slack, team, count):
    for n in range(count):
        user = user_in("Europe/Kyiv", f"person{n}@example.com")
        connect(slack, user, Member(id=f"U0MANY{n:04d}", name=f"p{n}", team=team))


@pytest.mark.parametrize("count", [2, 12])
def test_a_quiet_minute_costs_three_queries_whatever_the_number_of_users(
    slack, team, count, django_assert_num_queries
):
    _connect_many(slack, team, count)

    # The links with their users' settings, the recent deliveries, the goals just completed.
    with django_assert_num_queries(3):
        assert services.schedule_due(now=QUIET_MINUTE) == []


@pytest.mark.parametrize("count", [1, 30])
def test_the_settings_page_costs_the_same_queries_whatever_was_sent(
    slack, team, olena, user, web_client, count
):
    connect(slack, user, olena)
    Delivery.objects.bulk_create(
        Delivery(user=user, kind=Delivery.Kind.REMINDER, key=f"reminder:{n}", status="sent")
        for n in range(count)
    )
    overhead = request_overhead(web_client)

    with CaptureQueriesContext(connection) as captured:
        page = web_client.get("/settings/slack")

    assert page.status_code == 200
    # The link with its workspace (for the page, and for the connection state), the last
    # message sent, the ten latest deliveries.
    assert len(captured) == overhead + 4
    assert page.content.decode().count("Reminder set on a task") == min(count, 10)
