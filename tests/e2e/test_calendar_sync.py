"""Calendar sync settings in a real browser: copy the feed address, give a device a password."""

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory

from .test_flows import log_in

pytestmark = pytest.mark.browser


def test_copy_the_feed_address_and_connect_a_device(new_page, live_server, screenshot):
    user = UserFactory()
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    log_in(page, user)
    page.goto("/settings/")
    page.get_by_role("link", name="Calendar sync").click()

    page.get_by_role("button", name="Make my feed address").click()
    address = page.get_by_label("Feed address")
    url = address.input_value()
    assert url.startswith(live_server.url + "/ics/")
    page.get_by_role("button", name="Copy address").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == url
    subscribe = page.get_by_role("link", name="Open in calendar app")
    assert subscribe.get_attribute("href") == "webcal://" + url.split("://", 1)[1]

    page.get_by_label("Device name").fill("iPhone")
    page.get_by_role("button", name="Create app password").click()
    expect(page.get_by_text("it is shown only this once")).to_be_visible()
    password = page.locator("#new-app-password").inner_text()
    assert len(password.replace("-", "")) == 20
    screenshot(page, "calendar-sync")

    page.reload()
    expect(page.get_by_text("it is shown only this once")).to_have_count(0)
    expect(page.get_by_text("never used")).to_be_visible()
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("No device syncs yet.")).to_be_visible()


def test_the_page_works_without_javascript(new_page, live_server):
    user = UserFactory()
    page = new_page(java_script_enabled=False)
    log_in(page, user)
    page.goto("/settings/calendar")
    page.get_by_role("button", name="Make my feed address").click()
    assert page.get_by_label("Feed address").input_value().startswith(live_server.url)
    expect(page.get_by_role("button", name="Copy address")).to_be_hidden()
    page.get_by_role("button", name="Turn off the feed").click()
    expect(page.get_by_role("button", name="Make my feed address")).to_be_visible()
