"""Every /api/ answer is JSON; oversized bodies get a clear 413 before they are read; private
answers are not cached; `?next=` cannot downgrade to http."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/goals/0.5", "/api/goals/0.5/progress", "/api/no-such-thing", "/api/", "/api/tasks/x/y"],
)
def test_api_paths_that_match_no_route_answer_json_404(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_wrong_method_answers_json_405(api_client):
    response = api_client.delete("/api/goals")

    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"


def test_a_json_body_over_the_limit_answers_json_413(api_client, settings):
    body = json.dumps({"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})

    response = api_client.post("/api/goals", data=body, content_type="application/json")

    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large."}


def test_too_many_form_fields_answer_json_400(api_client, settings):
    fields = "&".join(f"field{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    response = api_client.post(
        "/api/goals", data=fields, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The request has too many fields."}


def test_a_body_over_the_request_limit_is_refused_before_it_is_read(client, settings):
    class Unreadable:
        """A body that fails the test if anyone reads it."""

        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    # A file upload: DATA_UPLOAD_MAX_MEMORY_SIZE does not bound those.
    response = client.generic(
        "POST",
        reverse("account_login"),
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY_SIZE + 1),
        **{"wsgi.input": Unreadable()},
    )

    assert response.status_code == 413
    assert response["Connection"] == "close"


def test_api_answers_and_signed_in_pages_are_private_and_not_stored(api_client, web_client):
    for response in (api_client.get("/api/tasks"), web_client.get(reverse("dashboard"))):
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= cache_control


def test_public_pages_stay_cacheable(client):
    assert "no-store" not in client.get(reverse("landing")).get("Cache-Control", "")


def test_next_may_not_downgrade_to_http_on_our_own_host(client, user, password):
    response = client.post(
        f"{reverse('account_login')}?next=http://testserver/tasks/",
        {"login": user.email, "password": password},
        secure=True,
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_next_on_our_own_host_over_https_still_works(client, user, password):
    response = client.post(
        f"{reverse('account_login')}?next=https://testserver/tasks/",
        {"login": user.email, "password": password},
        secure=True,
    )

    assert response["Location"] == "https://testserver/tasks/"


def test_reports_format_filters_the_jobs_and_picks_no_renderer(api_client):
    # `?format=` is the jobs' file format here; DRF would take it for a renderer (a 404).
    response = api_client.get("/api/reports?format=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"] == []
