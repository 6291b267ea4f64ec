"""The keyboard flow and the undo toast in a real browser: add, move, complete, undo and delete
without touching the mouse, and the toast's announcement and timing."""

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from tasks.models import Task

from .test_flows import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def tasks_page(new_page):
    user = UserFactory()
    Task.objects.create(user=user, title="Water the plants")
    Task.objects.create(user=user, title="Call the bank")
    page = new_page(viewport={"width": 1280, "height": 900})
    page.on("dialog", lambda dialog: pytest.fail(f"a browser dialog opened: {dialog.message}"))
    log_in(page, user)
    page.goto("/tasks/")
    return page, user


def current_title(page):
    return page.locator(".task-row.is-current .task-row__title")


def test_add_move_complete_and_undo_with_the_keyboard_only(tasks_page):
    page, user = tasks_page

    page.keyboard.press("q")
    title = page.locator("#quick-add input[name='title']")
    expect(title).to_be_focused()
    page.keyboard.type("Buy milk")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Buy milk", exact=True)).to_be_visible()
    page.keyboard.press("Escape")  # out of the quick add field, if it kept the focus

    page.keyboard.press("j")
    first = current_title(page)
    expect(first).to_be_focused()
    first_title = first.inner_text()
    page.keyboard.press("j")
    expect(current_title(page)).not_to_have_text(first_title)
    page.keyboard.press("k")
    expect(current_title(page)).to_have_text(first_title)

    page.keyboard.press("x")
    toast = page.locator("#toasts .toast")
    expect(toast).to_contain_text(f"Completed “{first_title}”.")
    expect(page.locator("#toasts")).to_have_attribute("aria-live", "polite")
    assert Task.objects.get(user=user, title=first_title).is_completed

    page.keyboard.press("u")
    expect(toast).to_contain_text("Undone")
    expect(
        page.locator(f".task-row:not(.is-done) .task-row__title:text-is('{first_title}')")
    ).to_be_visible()
    assert not Task.objects.get(user=user, title=first_title).is_completed
    assert Task.objects.filter(user=user).count() == 3


def test_edit_with_e_and_cancel_with_escape(tasks_page):
    page, user = tasks_page

    page.keyboard.press("j")
    page.keyboard.press("e")
    field = page.get_by_label("Title of the task")
    expect(field).to_be_focused()
    page.keyboard.type("x y z")  # typed into the field: no shortcut fires
    assert Task.objects.filter(user=user, completed_at__isnull=False).count() == 0
    page.keyboard.press("Escape")
    expect(field).to_have_count(0)
    assert set(Task.objects.filter(user=user).values_list("title", flat=True)) == {
        "Water the plants",
        "Call the bank",
    }


def test_slash_searches_and_question_mark_shows_the_help(tasks_page):
    page, _ = tasks_page

    page.keyboard.press("/")
    expect(page.locator("#header-search-q")).to_be_focused()
    page.keyboard.type("bank")
    expect(page.locator("#header-search-results")).to_contain_text("Call the bank")
    page.keyboard.press("Escape")

    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()


def test_delete_without_a_confirm_then_undo_from_the_toast(tasks_page):
    page, user = tasks_page

    page.get_by_role("button", name="Delete “Call the bank”").click()
    toast = page.locator("#toasts .toast")
    expect(toast).to_contain_text("Deleted “Call the bank”.")
    expect(page.get_by_role("link", name="Call the bank", exact=True)).to_have_count(0)
    assert not Task.objects.filter(title="Call the bank").exists()

    toast.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("link", name="Call the bank", exact=True)).to_be_visible()
    assert Task.objects.filter(user=user, title="Call the bank").exists()


def test_the_toast_goes_after_a_few_seconds_but_stays_while_pointed_at(tasks_page):
    page, _ = tasks_page

    page.get_by_role("button", name="Mark “Water the plants” as done").click()
    toast = page.locator("#toasts .toast")
    expect(toast).to_be_visible()
    toast.hover()
    page.wait_for_timeout(9000)
    expect(toast).to_be_visible()  # paused while the pointer is on it
    page.mouse.move(0, 0)
    expect(toast).to_have_count(0, timeout=12_000)


def test_bulk_complete_then_undo_in_the_browser(tasks_page):
    page, user = tasks_page

    page.get_by_label("Select “Water the plants”").check()
    page.get_by_label("Select “Call the bank”").check()
    page.get_by_label("With the ticked tasks").select_option("complete")
    page.get_by_role("button", name="Apply to ticked tasks").click()
    expect(page.locator("#toasts .toast")).to_contain_text("Completed 2 tasks.")
    # the list reads itself again: done tasks leave the open list
    expect(page.get_by_role("link", name="Call the bank", exact=True)).to_have_count(0)
    assert Task.objects.filter(user=user, completed_at__isnull=False).count() == 2

    page.locator("#toasts").get_by_role("button", name="Undo").click()
    expect(page.get_by_role("link", name="Call the bank", exact=True)).to_be_visible()
    assert Task.objects.filter(user=user, completed_at__isnull=True).count() == 2
