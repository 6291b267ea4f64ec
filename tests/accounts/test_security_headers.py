"""Every page and API answer carries the security headers of production, and no inline code.

"Production" here is the settings with DEBUG off (as the test run has them) and HTTPS enforced,
the way a deployment sets SECURE_SSL_REDIRECT; requests arrive over HTTPS.
"""

import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from goals.factories import GoalFactory
from goals.services import log_progress
from plans.factories import PlanFactory
from reports.models import Format, Kind, ReportJob
from tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = {
    "/": 200,
    "/accounts/login/": 200,
    "/accounts/signup/": 200,
    "/accounts/password/reset/": 200,
    "/no-such-page/": 404,
    "/healthz": 200,
}
# `{plan}`, `{goal}`, `{task}` and `{job}` are the ids of the `content` fixture's objects.
SIGNED_IN_PAGES = [
    "/dashboard",
    "/plans/",
    "/plans/{plan}/",
    "/goals/",
    "/goals/{goal}/",  # the progress chart (SVG)
    "/tasks/",
    "/tasks/{task}/edit",
    "/analytics/",  # the charts (SVG)
    "/reports/",
    "/reports/{job}/",
    "/settings/",
    "/accounts/sessions/",
    "/accounts/2fa/",
    "/accounts/3rdparty/",
    "/accounts/password/change/",
]
API_ANSWERS = {
    "/api/pdps": 200,
    "/api/goals": 200,
    "/api/tasks": 200,
    "/api/reports": 200,
    "/api/analytics/summary": 200,
    "/api/auth/me": 200,
    f"/api/pdps/{uuid.uuid4()}": 404,
    "/api/schema/": 200,
    "/api/docs/": 200,
    "/api/docs/?script=": 200,  # the docs page's start-up script, served as a file
}

# Any <script> element without `src`: CONTRIBUTING forbids inline scripts, nonce or not.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=")


@pytest.fixture(autouse=True)
def production(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert not settings.DEBUG


@pytest.fixture
def content(user):
    """A plan, a goal with a progress history, a task and a report job: the ids by name."""
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan)
    for value in (20, 45):
        log_progress(goal=goal, value=value)
    task = TaskFactory(user=user, goal=goal, due_date=timezone.localdate())
    job = ReportJob.objects.create(owner=user, kind=Kind.PLAN_REPORT, format=Format.PDF)
    return {"plan": plan.pk, "goal": goal.pk, "task": task.pk, "job": job.pk}


def assert_security_headers(response, url):
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload", (
        url
    )
    assert headers["X-Content-Type-Options"] == "nosniff", url
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", url
    assert headers["X-Frame-Options"] == "DENY", url
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin", url
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp, url
    assert "frame-ancestors 'none'" in csp, url
    assert "unsafe-inline" not in csp, url
    assert "unsafe-eval" not in csp, url


def assert_no_inline_code(response, url):
    if not response["Content-Type"].startswith("text/html"):
        return
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), f"{url}: inline <script>"
    assert not STYLE_ATTRIBUTE.search(html), f"{url}: style= attribute"


def assert_cookies_locked_down(response, url):
    for name, cookie in response.cookies.items():
        assert cookie["secure"], f"{url}: cookie {name} is not Secure"
        assert cookie["samesite"] == "Lax", f"{url}: cookie {name} SameSite"
        if name == "sessionid":
            assert cookie["httponly"], f"{url}: session cookie readable by scripts"


@pytest.mark.parametrize(("url", "expected_status"), ANONYMOUS_PAGES.items())
def test_anonymous_pages(client, url, expected_status):
    response = client.get(url, secure=True)

    assert response.status_code == expected_status, url
    assert_security_headers(response, url)
    assert_no_inline_code(response, url)
    assert_cookies_locked_down(response, url)


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_in_pages(web_client, content, url):
    url = url.format(**content)
    response = web_client.get(url, secure=True)

    assert response.status_code == 200, url
    assert_security_headers(response, url)
    assert_no_inline_code(response, url)
    assert_cookies_locked_down(response, url)


@pytest.mark.parametrize(("url", "expected_status"), API_ANSWERS.items())
def test_api_answers(user, content, url, expected_status):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")

    response = client.get(url, secure=True)

    assert response.status_code == expected_status, url
    assert_security_headers(response, url)
    assert_no_inline_code(response, url)


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", "/api/pdps"), ("post", "/api/auth/login"), ("get", "/api/no-such-endpoint")],
)
def test_api_errors_carry_them_too(anon_client, method, url):
    response = getattr(anon_client, method)(url, secure=True)

    assert response.status_code in (400, 401, 404)
    assert_security_headers(response, url)


def test_the_api_docs_load_everything_from_this_site(web_client):
    html = web_client.get("/api/docs/", secure=True).content.decode()

    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(url.startswith("/") for url in assets), assets


def test_logging_in_sets_only_secure_httponly_samesite_cookies(client, user, password):
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": password}, secure=True
    )

    assert response.status_code == 302
    assert "sessionid" in response.cookies
    assert_cookies_locked_down(response, "login")


def test_plain_http_is_redirected_to_https(client):
    response = Client().get("/accounts/login/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"
