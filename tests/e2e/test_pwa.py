"""The installable app in chromium: installability, reading offline, and the offline queue."""

import io
import json
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.factories import UserFactory
from plans.factories import PlanFactory
from pwa.models import IdempotencyKey
from tasks.factories import TaskFactory
from tasks.models import Task, TaskCompletion

from .test_flows import log_in

pytestmark = pytest.mark.browser


def controlled(page):
    """Wait until the service worker is active and controls the page (clients.claim)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_the_app_meets_the_installability_criteria(new_page, live_server):
    page = new_page()
    page.goto("/")

    href = page.locator("link[rel=manifest]").get_attribute("href")
    answer = page.request.get(href)
    assert answer.headers["content-type"] == "application/manifest+json"
    manifest = json.loads(answer.body())
    assert manifest["name"]
    assert manifest["short_name"]
    assert manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["background_color"])
    scope = live_server.url + manifest["scope"]
    assert (live_server.url + manifest["start_url"]).startswith(scope)
    sizes = {}
    for icon in manifest["icons"]:
        image = Image.open(io.BytesIO(page.request.get(icon["src"]).body()))
        image.verify()
        assert icon["type"] == "image/png"
        assert image.format == "PNG"
        assert icon["sizes"] == f"{image.width}x{image.height}"
        sizes.setdefault(icon.get("purpose", "any"), set()).add(image.width)
    assert {192, 512} <= sizes["any"]
    assert 512 in sizes["maskable"]
    touch = page.locator("link[rel=apple-touch-icon]").get_attribute("href")
    assert Image.open(io.BytesIO(page.request.get(touch).body())).size == (180, 180)

    controlled(page)
    worker = page.evaluate("navigator.serviceWorker.ready.then(r => [r.scope, r.active.scriptURL])")
    assert worker == [scope, f"{live_server.url}/sw.js"]
    sw = page.request.get("/sw.js")
    assert sw.headers["content-type"].startswith("text/javascript")
    assert sw.headers["service-worker-allowed"] == "/"

    # The fetch handler answers offline: a page never seen is the offline page, not an error.
    page.context.set_offline(True)
    page.goto("/plans/new")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    page.context.set_offline(False)


def test_offline_changes_are_sent_once_when_back_online(new_page, live_server):
    user = UserFactory()
    today = timezone.localdate()
    first, second, untouched = (
        TaskFactory(user=user, title=title, due_date=today)
        for title in ("Water the plants", "Pay the phone bill", "Call the dentist")
    )
    page = new_page()
    log_in(page, user)
    controlled(page)
    page.goto("/tasks/")
    page.goto("/dashboard")  # both pages are now kept for reading offline
    page.goto("/tasks/")

    page.context.set_offline(True)
    banner = page.locator("#offline-banner")
    expect(banner).to_contain_text("You are offline")
    for task in (first, second):
        page.get_by_role("button", name=f"Mark “{task.title}” as done").click()
        expect(page.locator(f"#task-{task.pk}")).to_have_class(re.compile("is-done"))
    page.get_by_label("New task").fill("Buy stamps")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(banner).to_contain_text("Kept on this device")
    expect(page.get_by_label("New task")).to_have_value("")
    # Nothing reached the server, and the pages seen before still read offline.
    assert not TaskCompletion.objects.filter(user=user).exists()
    assert not Task.objects.filter(user=user, title="Buy stamps").exists()
    page.goto("/dashboard")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("You are offline")

    page.context.set_offline(False)
    expect(banner).to_contain_text("the changes you made offline were sent")

    assert set(TaskCompletion.objects.filter(user=user).values_list("task_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert TaskCompletion.objects.filter(user=user).count() == 2
    assert Task.objects.filter(user=user, title="Buy stamps").count() == 1
    untouched.refresh_from_db()
    assert untouched.completed_at is None

    # Each queued request carried a key; sending them all again (the replay twice) changes nothing.
    keys = list(IdempotencyKey.objects.filter(user=user).values_list("key", "request_line"))
    assert len(keys) == 3
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    for key, request_line in keys:
        path = request_line.split(" ", 1)[1]
        again = page.request.post(
            path,
            form={"done": "true", "title": "Buy stamps"},
            headers={"Idempotency-Key": key, "X-CSRFToken": csrf, "HX-Request": "true"},
        )
        assert again.status == 200
        assert again.headers["idempotent-replayed"] == "true"
    assert TaskCompletion.objects.filter(user=user).count() == 2
    assert Task.objects.filter(user=user, title="Buy stamps").count() == 1


def queue_a_completion_offline(page, task):
    page.context.set_offline(True)
    page.get_by_role("button", name=f"Mark “{task.title}” as done").click()
    expect(page.locator("#offline-banner")).to_contain_text("Kept on this device")


def test_signing_out_drops_what_this_account_kept_offline(new_page):
    owner = UserFactory()
    task = TaskFactory(user=owner, title="Water the plants", due_date=timezone.localdate())
    page = new_page()
    log_in(page, owner)
    controlled(page)
    page.goto("/tasks/")
    queue_a_completion_offline(page, task)
    page.get_by_role("button", name="Sign out").click()  # offline: the worker drops it anyway

    page.context.set_offline(False)
    page.goto("/dashboard")  # still signed in: the sign-out never reached the server
    controlled(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in").first).to_be_visible()
    log_in(page, owner)
    page.goto("/tasks/")
    expect(page.locator(f"#task-{task.pk}")).not_to_have_class(re.compile("is-done"))
    assert not TaskCompletion.objects.filter(task=task).exists()


def test_another_account_signing_in_gets_nothing_of_the_first_ones_offline_data(new_page):
    first, second = UserFactory(), UserFactory()
    task = TaskFactory(user=first, title="Water the plants", due_date=timezone.localdate())
    plan = PlanFactory(user=first, title="A private plan")
    page = new_page()
    log_in(page, first)
    controlled(page)
    page.goto(plan.get_absolute_url())  # kept for reading offline
    page.goto("/tasks/")
    queue_a_completion_offline(page, task)
    # The first session ends elsewhere (it expired, was signed out on another device) while
    # this one is offline; then someone else signs in here.
    page.request.post("/accounts/logout/", headers={"X-CSRFToken": csrf_token(page)})
    page.context.set_offline(False)
    log_in(page, second)
    controlled(page)
    page.goto("/dashboard")
    wait_for_an_empty_queue(page)
    page.wait_for_timeout(500)  # what the worker would say of a replay reaches the page

    # Nothing of the first account was sent as the second, or said to have failed.
    assert not TaskCompletion.objects.exists()
    assert not Task.objects.filter(user=second).exists()
    expect(page.locator("#offline-banner")).to_be_hidden()
    # Offline, the first account's pages are not there to read.
    page.context.set_offline(True)
    page.goto(plan.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    expect(page.get_by_text("A private plan")).to_have_count(0)
    page.goto("/tasks/")
    expect(page.get_by_text("Water the plants")).to_have_count(0)
    page.context.set_offline(False)


QUEUED = """() => new Promise((resolve) => {
  const opening = indexedDB.open("bakhmach-offline");
  opening.onsuccess = () => {
    const db = opening.result;
    if (!db.objectStoreNames.contains("queue")) return resolve(0);
    const count = db.transaction("queue").objectStore("queue").count();
    count.onsuccess = () => resolve(count.result);
  };
})"""


def wait_for_an_empty_queue(page):
    """The worker's queue empties: dropped, or sent (which is what must not happen)."""
    for _ in range(50):
        if page.evaluate(QUEUED) == 0:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the offline queue still holds changes")


def csrf_token(page):
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
