"""The per-minute schedule costs the same queries for few users or many."""

import pytest

from integrations.slack import services
from tests.fakes.slack import Member

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
