"""Browser tests: Playwright (sync API) driving Debian's chromium against the live server.

Playwright's sync API runs an event loop in the test thread, so Django's "no sync ORM call inside an
event loop" guard must be lifted for the database work the tests do themselves (factories, asserts).
"""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _cookies_over_plain_http(settings):
    """The live server speaks http; secure-only cookies would never come back from the browser."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_errors():
    """What went wrong in the browser; a test expecting an error takes it out of this list."""
    return []


@pytest.fixture
def new_page(browser, live_server, transactional_db, browser_errors):
    """`new_page(**context_options)`: a page in a fresh browser context, closed afterwards.

    Console errors (a CSP violation, a failing script) and failed sub-resources (a stylesheet,
    script or image answering 4xx/5xx) fail the test. Pages themselves may answer 404 or 422.
    """
    contexts, errors = [], browser_errors

    def open_page(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: _console_error(message, errors))
        page.on("response", lambda response: _failed_resource(response, errors))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"the browser console reported errors: {errors}"


def _console_error(message, errors):
    # The browser logs every 4xx/5xx as "Failed to load resource"; _failed_resource judges those.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(message.text)


def _failed_resource(response, errors):
    if response.status >= 400 and response.request.resource_type in {
        "stylesheet",
        "script",
        "image",
    }:
        errors.append(f"{response.status} {response.url}")


@pytest.fixture
def screenshot():
    """`screenshot(page, name)` saves a full-page PNG under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take
