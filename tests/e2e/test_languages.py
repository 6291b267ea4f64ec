"""Ukrainian and English in a real browser: the browser's language for a visitor, the switcher,
and a signed-in user's own setting over the browser's."""

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from accounts.services import settings_for, update_settings
from goals.factories import GoalFactory

from .test_flows import log_in

pytestmark = pytest.mark.browser


def test_a_ukrainian_browser_gets_ukrainian_and_the_switcher_changes_it(new_page):
    page = new_page(locale="uk-UA")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("link", name="Почати безкоштовно")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Start for free")).to_be_visible()
    page.goto("/accounts/login/")  # the choice outlasts the page: a cookie
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_role("button", name="Українська").click()
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    assert "/accounts/login/" in page.url  # back where the switch was made


def test_a_signed_in_users_setting_beats_the_browser(new_page):
    user = UserFactory(name="Олена")
    GoalFactory(user=user, title="Пробігти півмарафон")
    page = new_page(locale="en-US")
    log_in(page, user)  # the sign-in page in the browser's English
    expect(page.get_by_role("heading", name="Hello, Олена")).to_be_visible()

    update_settings(user_settings=settings_for(user), language="uk")
    page.goto("/dashboard")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    expect(page.get_by_role("heading", name="Вітаємо, Олена")).to_be_visible()
    page.get_by_role("navigation", name="Головне меню").get_by_role("link", name="Цілі").click()
    expect(page.get_by_role("heading", name="Цілі", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Пробігти півмарафон")).to_be_visible()
