"""Connecting GitHub in a real browser, through the fake GitHub's authorize page."""

import re

import pytest
from playwright.sync_api import expect

from accounts.factories import UserFactory
from integrations.github.models import Connection
from tasks.models import Task
from tests.integrations.github.conftest import HUBOT, OCTOCAT

from .test_flows import log_in

pytestmark = pytest.mark.browser


def test_connect_pick_a_repository_and_sync(new_page, github, eager_celery, screenshot):
    user = UserFactory(email="dev@example.com")
    repo = github.add_repo(OCTOCAT, "hello-world")
    github.add_issue(repo, "Fix the login page", author=HUBOT, assignees=[OCTOCAT])
    github.add_issue(repo, "Faster search", author=OCTOCAT, assignees=[OCTOCAT], pull=True)
    github.sign_in(OCTOCAT)
    github.ask_consent = True
    page = new_page()
    log_in(page, user)

    page.goto("/settings/")
    page.get_by_role("link", name="Manage integrations").click()
    expect(page.locator("#github-state")).to_have_text("Not connected")
    page.get_by_role("link", name="Connect GitHub").click()

    # At GitHub: its consent page names the scopes; authorizing sends the browser back.
    expect(page.get_by_role("heading", name="Authorize Bakhmach Business Hub")).to_be_visible()
    expect(page.get_by_text("repo", exact=True)).to_be_visible()
    page.get_by_role("button", name="Authorize").click()

    expect(page).to_have_url(re.compile(r"/settings/integrations#github$"))
    expect(page.locator(".message")).to_contain_text("GitHub connected as octocat")
    assert Connection.objects.get(user=user).login == "octocat"

    page.get_by_label("octocat/hello-world").check()
    page.get_by_role("button", name="Save repositories").click()
    expect(page.locator(".message")).to_contain_text("Importing from 1 repository")
    page.get_by_role("button", name="Sync now").click()

    # The job ran (eagerly here; a worker's section refreshes itself until it is done).
    expect(page.locator(".message")).to_contain_text("Syncing with GitHub")
    expect(page.locator("#github-issue-count")).to_have_text("1")
    expect(page.locator("#github-pull-count")).to_have_text("1")
    expect(page.locator("#github-state")).to_have_text("Connected")
    screenshot(page, "github-integration-connected")
    assert set(Task.objects.filter(user=user).values_list("title", flat=True)) == {
        "Fix the login page",
        "Faster search",
    }

    # The task links back to its issue and shows its state.
    page.goto("/tasks/")
    page.get_by_role("link", name="Fix the login page", exact=True).click()
    expect(page.locator("#github-link")).to_contain_text("GitHub issue octocat/hello-world#1")
    expect(page.locator("#github-link")).to_contain_text("open")
    expect(page.locator("#github-link").get_by_role("link")).to_have_attribute(
        "href", f"{github.url}/octocat/hello-world/issues/1"
    )
