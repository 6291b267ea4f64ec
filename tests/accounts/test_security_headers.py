"""Every page and API answer carries the security headers of production, and no inline code.

"Production" here is the settings with DEBUG off (as the test run has them) and HTTPS enforced,
the way a deployment sets SECURE_SSL_REDIRECT; requests arrive over HTTPS.
"""

import re
import uuid

import pytest
from django.test import Client
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from goals.factories import GoalFactory
from plans.factories import PlanFactory
from tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/no-such-page/",
    "/healthz",
]
SIGNED_IN_PAGES = [
    "/dashboard",
    "/plans/",
    "/settings/",
    "/accounts/sessions/",
    "/accounts/2fa/",
    "/accounts/3rdparty/",
    "/accounts/password/change/",
]
API_ANSWERS = [
    "/api/pdps",
    "/api/goals",
    "/api/tasks",
    "/api/reports",
    "/api/analytics/summary",
    "/api/auth/me",
    f"/api/pdps/{uuid.uuid4()}",  # 404
    "/api/schema/",
    "/api/docs/",
    "/api/docs/?script=",  # the docs page's start-up script, served as a file
]

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src|nonce)=)(?![^>]*application/json)[^>]*>")
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=")


@pytest.fixture(autouse=True)
def production(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert not settings.DEBUG


@pytest.fixture
def content(user):
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan)
    TaskFactory(user=user, goal=goal)


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
    assert not INLINE_SCRIPT.search(html), f"{url}: inline <script> without a nonce"
    assert not STYLE_ATTRIBUTE.search(html), f"{url}: style= attribute"


def assert_cookies_locked_down(response, url):
    for name, cookie in response.cookies.items():
        assert cookie["secure"], f"{url}: cookie {name} is not Secure"
        assert cookie["samesite"] == "Lax", f"{url}: cookie {name} SameSite"
        if name == "sessionid":
            assert cookie["httponly"], f"{url}: session cookie readable by scripts"


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_anonymous_pages(client, url):
    response = client.get(url, secure=True)

    assert response.status_code in (200, 302, 404), url
    assert_security_headers(response, url)
    assert_no_inline_code(response, url)
    assert_cookies_locked_down(response, url)


@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_in_pages(web_client, content, url):
    response = web_client.get(url, secure=True)

    assert response.status_code == 200, url
    assert_security_headers(response, url)
    assert_no_inline_code(response, url)
    assert_cookies_locked_down(response, url)


@pytest.mark.parametrize("url", API_ANSWERS)
def test_api_answers(user, content, url):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")

    response = client.get(url, secure=True)

    assert response.status_code in (200, 404), url
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
