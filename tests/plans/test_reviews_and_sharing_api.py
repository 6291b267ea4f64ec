"""Plan reviews and read-only share links, through the API and on the web."""

import pytest
from django.urls import reverse
from django.utils import timezone

from goals import services as goal_services
from goals.factories import GoalFactory
from plans import services
from plans.factories import PlanFactory
from plans.models import add_months
from tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db

REVIEW_KEYS = {"id", "pdp", "created_at", "went_well", "went_badly", "next", "goals"} | {"progress"}


def test_a_review_is_a_snapshot_that_later_changes_never_alter(api_client, user):
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan, title="Run", progress=30)
    url = f"/api/pdps/{plan.pk}/reviews"

    made = api_client.post(url, {"went_well": "Ran", "next": "Run more"}, format="json")

    assert made.status_code == 201, made.content
    body = made.json()
    assert set(body) == REVIEW_KEYS
    assert body["goals"] == [
        {"goal": str(goal.pk), "title": "Run", "domain": "career", "progress": 30}
        | {"status": "active"}
    ]
    goal_services.log_progress(goal=goal, value=80)
    goal_services.update_goal(goal=goal, title="Run far")
    again = api_client.get(f"{url}/{body['id']}").json()
    assert (again["goals"][0]["title"], again["goals"][0]["progress"]) == ("Run", 30)
    assert api_client.get(url).json()["count"] == 1
    # No route changes a review.
    assert api_client.patch(f"{url}/{body['id']}", {"went_well": "x"}).status_code == 405


def test_reviews_of_someone_elses_plan_are_404(api_client, other_user):
    plan = PlanFactory(user=other_user)
    review = services.create_review(plan=plan, went_well="Secret")

    assert api_client.get(f"/api/pdps/{plan.pk}/reviews").status_code == 404
    assert api_client.get(f"/api/pdps/{plan.pk}/reviews/{review.pk}").status_code == 404
    assert api_client.post(f"/api/pdps/{plan.pk}/reviews", {}).status_code == 404
    assert api_client.post(f"/api/pdps/{plan.pk}/share").status_code == 404


def test_a_plan_answers_its_cadence_and_next_review(api_client, user):
    plan = PlanFactory(user=user)

    body = api_client.patch(
        f"/api/pdps/{plan.pk}", {"review_cadence": "quarterly"}, format="json"
    ).json()

    assert body["review_cadence"] == "quarterly"
    assert body["next_review_date"] == add_months(plan.start_date, 3).isoformat()
    services.create_review(plan=plan)
    body = api_client.get(f"/api/pdps/{plan.pk}").json()
    assert body["next_review_date"] == add_months(timezone.localdate(), 3).isoformat()
    bad = api_client.patch(f"/api/pdps/{plan.pk}", {"review_cadence": "daily"}, format="json")
    assert (bad.status_code, "review_cadence" in bad.json()) == (400, True)


def test_share_link_opens_read_only_without_private_tasks_and_revoked_is_404(
    api_client, anon_client, user, client
):
    plan = PlanFactory(user=user, title="Growth")
    goal = GoalFactory(user=user, plan=plan, title="Speak at a meetup", progress=40)
    TaskFactory(user=user, goal=goal, title="Draft the talk")
    TaskFactory(user=user, goal=goal, title="Ask my boss for a raise", private=True)
    services.create_review(plan=plan, went_well="Booked the venue")

    made = api_client.post(f"/api/pdps/{plan.pk}/share")

    assert made.status_code == 201
    assert set(made.json()) == {"url", "created_at"}
    url = made.json()["url"]
    page = client.get(url)  # no sign-in
    assert page.status_code == 200
    html = page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Speak at a meetup" in html
    assert "Draft the talk" in html
    assert "Booked the venue" in html
    assert "Ask my boss" not in html
    assert reverse("goals:edit", args=[goal.pk]) not in html
    assert "<form" not in html.split("<main", 1)[1].split("</main>", 1)[0]  # no edit controls

    assert api_client.delete(f"/api/pdps/{plan.pk}/share").status_code == 204
    assert client.get(url).status_code == 404


def test_a_new_share_link_retires_the_previous_one(api_client, user, client):
    plan = PlanFactory(user=user)
    first = api_client.post(f"/api/pdps/{plan.pk}/share").json()["url"]
    second = api_client.post(f"/api/pdps/{plan.pk}/share").json()["url"]

    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert client.get("/shared/plans/guessed-token").status_code == 404


def test_review_on_the_web_side_by_side_with_now(web_client, user):
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan, title="Run", progress=30)

    assert web_client.get(reverse("plans:review_create", args=[plan.pk])).status_code == 200
    response = web_client.post(
        reverse("plans:review_create", args=[plan.pk]),
        {"went_well": "Kept going", "went_badly": "", "next": "Intervals"},
    )

    review = plan.reviews.get()
    assert response.url == review.get_absolute_url()
    goal_services.log_progress(goal=goal, value=45)
    html = web_client.get(review.get_absolute_url()).content.decode()
    assert "Kept going" in html
    assert "30% · Active" in html
    assert "45% · Active" in html
    assert "+15 points" in html
    plan_page = web_client.get(plan.get_absolute_url()).content.decode()
    assert review.get_absolute_url() in plan_page


def test_share_and_revoke_on_the_web(web_client, user, client):
    plan = PlanFactory(user=user)
    url = reverse("plans:share", args=[plan.pk])

    web_client.post(url, {"action": "share"})
    plan.refresh_from_db()
    link = plan.get_share_url()
    assert link in web_client.get(plan.get_absolute_url()).content.decode()

    web_client.post(url, {"action": "revoke"})
    plan.refresh_from_db()
    assert plan.share_token is None
    assert client.get(link).status_code == 404


def test_a_task_marked_private_on_its_form_stays_off_the_shared_page(web_client, user, client):
    plan = PlanFactory(user=user)
    task = TaskFactory(user=user, goal=GoalFactory(user=user, plan=plan), title="Salary talk")

    response = web_client.post(
        reverse("tasks:edit", args=[task.pk]),
        {"title": "Salary talk", "priority": 3, "private": "on"},
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.private
    services.share_plan(plan=plan)
    assert "Salary talk" not in client.get(plan.get_share_url()).content.decode()
