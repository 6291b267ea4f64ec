"""The contract's general rules as the project's API plumbing keeps them for every endpoint:
UTC timestamps whoever is signed in to the browser, the error shapes, 429 with Retry-After."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.factories import UserFactory
from accounts.services import settings_for
from goals.factories import GoalFactory
from goals.models import Status
from lib.api import exception_handler
from plans.factories import PlanFactory
from tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db


def living_in(user, zone):
    user_settings = settings_for(user)
    user_settings.timezone = zone
    user_settings.save()
    return user


# --- timestamps -----------------------------------------------------------------------------


def test_timestamps_are_utc_for_a_browser_session_too(web_client, user):
    living_in(user, "Europe/Kyiv")
    TaskFactory(user=user)

    task = web_client.get("/api/tasks").json()["results"][0]
    me = web_client.get("/api/auth/me").json()

    for stamp in (task["created_at"], task["updated_at"], me["created_at"]):
        assert stamp.endswith("Z"), stamp


def test_the_same_moment_is_utc_in_the_api_and_the_users_own_time_on_the_pages(web_client, user):
    living_in(user, "Europe/Kyiv")
    moment = datetime.datetime(2026, 1, 15, 1, 30, tzinfo=datetime.UTC)
    goal = GoalFactory(user=user, status=Status.COMPLETED, progress=100, completed_at=moment)

    answer = web_client.get(f"/api/goals/{goal.pk}").json()
    page = web_client.get(f"/goals/{goal.pk}/").content.decode()

    assert answer["completed_at"] == "2026-01-15T01:30:00Z"
    assert 'datetime="2026-01-15T03:30:00+02:00"' in page


def test_a_token_and_another_users_session_cookie_use_the_tokens_user_settings():
    # Far apart: for the browser's user the token user's today is already past.
    browser_user = living_in(UserFactory(), "Pacific/Kiritimati")
    token_user = living_in(UserFactory(), "Pacific/Pago_Pago")
    due_today = timezone.localdate(timezone=ZoneInfo("Pacific/Pago_Pago"))
    task = TaskFactory(user=token_user, due_date=due_today)
    client = APIClient()
    client.force_login(browser_user)
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(token_user).access_token}"
    )

    overdue = client.get("/api/tasks?overdue=true").json()
    not_overdue = client.get("/api/tasks?overdue=false").json()

    assert overdue["count"] == 0
    assert [row["id"] for row in not_overdue["results"]] == [str(task.pk)]
    assert not_overdue["results"][0]["created_at"].endswith("Z")


# --- error shapes ---------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "kind"), [("[]", "list"), ('"text"', "str"), ("[{}]", "list")])
def test_a_body_that_is_not_an_object_is_one_detail_message(api_client, body, kind):
    response = api_client.post("/api/goals", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": f"Invalid data. Expected a dictionary, but got {kind}."}


def test_a_nul_in_the_search_of_a_searchable_list_is_a_field_error(api_client):
    for path in ("/api/pdps", "/api/goals", "/api/tasks"):
        response = api_client.get(path, {"search": "a\x00b"})

        assert response.status_code == 400, path
        assert list(response.json()) == ["search"], path


@pytest.mark.parametrize(
    ("error", "data"),
    [
        (DjangoValidationError("Not now."), {"detail": "Not now."}),
        (
            DjangoValidationError({"__all__": ["One.", "Two."], "title": ["Too long."]}),
            {"detail": "One. Two.", "title": ["Too long."]},
        ),
        (exceptions.ValidationError("Alone."), {"detail": "Alone."}),
        (exceptions.ValidationError({"title": ["Required."]}), {"title": ["Required."]}),
    ],
)
def test_non_field_errors_become_one_detail_string(error, data):
    response = exception_handler(error, {})

    assert response.status_code == 400
    assert response.data == data


# --- throttling -----------------------------------------------------------------------------


def assert_throttled(response):
    assert response.status_code == 429, response.content
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "detail" in response.json()


def test_a_signed_in_users_requests_are_throttled(api_client, throttle_rates):
    throttle_rates(user="3/min")
    for _ in range(3):
        assert api_client.get("/api/auth/me").status_code == 200

    assert_throttled(api_client.get("/api/tasks"))


def test_the_user_limit_counts_per_user_not_per_address(api_client, other_user, throttle_rates):
    throttle_rates(user="2/min")
    for _ in range(2):
        api_client.get("/api/auth/me")
    assert_throttled(api_client.get("/api/auth/me"))

    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(other_user).access_token}")
    assert other.get("/api/auth/me").status_code == 200


def test_anonymous_requests_are_throttled_per_address(anon_client, throttle_rates):
    throttle_rates(anon="3/min")
    for _ in range(3):
        assert (
            anon_client.post("/api/auth/logout", {"refresh": "x"}, format="json").status_code == 401
        )

    assert_throttled(anon_client.post("/api/auth/logout", {"refresh": "x"}, format="json"))


def test_report_and_export_requests_have_a_tighter_limit(api_client, user, throttle_rates):
    throttle_rates(reports="2/h")
    plan = PlanFactory(user=user)
    assert api_client.get(f"/api/pdps/{plan.pk}/report").status_code == 202
    assert api_client.get("/api/analytics/export?format=csv").status_code == 202

    assert_throttled(api_client.get("/api/analytics/export?format=pdf"))
    assert_throttled(api_client.get(f"/api/pdps/{plan.pk}/report"))
    # Polling the jobs is not a report request.
    assert api_client.get("/api/reports").status_code == 200
