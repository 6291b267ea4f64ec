"""Plan reviews (snapshots with a reflection) and the review cadence."""

import datetime

import pytest

from goals import services as goal_services
from goals.factories import GoalFactory
from plans import services
from plans.factories import PlanFactory
from plans.models import PlanReview, add_months

pytestmark = pytest.mark.django_db


def test_a_review_snapshots_every_goal_and_later_changes_leave_it_alone(user):
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan, title="Run", progress=40)
    GoalFactory(user=user, plan=plan, title="Read", progress=80)

    review = services.create_review(plan=plan, went_well="Kept running", next="Intervals")

    goal_services.log_progress(goal=goal, value=100)
    goal_services.update_goal(goal=goal, title="Renamed")
    stored = PlanReview.objects.get(pk=review.pk)
    assert stored.progress == 60
    assert {(row["title"], row["progress"], row["status"]) for row in stored.goals} == {
        ("Run", 40, "active"),
        ("Read", 80, "active"),
    }
    assert (stored.went_well, stored.went_badly, stored.next) == ("Kept running", "", "Intervals")


def test_a_review_cannot_be_changed_once_written(user):
    review = services.create_review(plan=PlanFactory(user=user))

    review.went_well = "Rewritten history"
    with pytest.raises(ValueError, match="snapshot"):
        review.save()


def test_the_next_review_is_one_cadence_after_the_last(user):
    plan = PlanFactory(user=user, start_date=datetime.date(2026, 1, 31))

    assert plan.next_review_date(None) == datetime.date(2026, 2, 28)
    plan.review_cadence = "quarterly"
    assert plan.next_review_date(None) == datetime.date(2026, 4, 30)
    last = datetime.datetime(2026, 5, 10, 12, tzinfo=datetime.UTC)
    assert plan.next_review_date(last, datetime.UTC) == datetime.date(2026, 8, 10)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_sharing_makes_a_new_secret_and_unsharing_drops_it(user):
    plan = PlanFactory(user=user)

    first = services.share_plan(plan=plan).share_token
    second = services.share_plan(plan=plan).share_token
    assert first != second
    assert len(second) >= 40

    services.unshare_plan(plan=plan)
    plan.refresh_from_db()
    assert (plan.share_token, plan.shared_at, plan.get_share_url()) == (None, None, "")
