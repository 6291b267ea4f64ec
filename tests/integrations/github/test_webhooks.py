"""Webhook deliveries sent by the fake GitHub, over HTTP, to the running app (live_server)."""

import pytest
import requests
from django.urls import reverse

from goals.factories import GoalFactory
from goals.models import ProgressEntry
from integrations.github.models import Delivery, Item
from tasks.models import Task

from .conftest import HUBOT, OCTOCAT

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "shared-webhook-secret-for-tests"


@pytest.fixture
def hook_url(live_server, settings):
    settings.GITHUB_WEBHOOK_SECRET = SECRET
    return live_server.url + reverse("integrations:github:webhook")


@pytest.fixture
def hooked(github, repo, hook_url, connected):
    """The repository's webhook points at the app; GitHub pinged it on creation."""
    github.add_hook(repo, hook_url, SECRET)
    return repo


def test_github_pings_a_new_hook_and_gets_204(github, hooked):
    (ping,) = github.deliveries
    assert (ping.event, ping.status) == ("ping", 204)


def test_an_issue_assigned_to_me_arrives_as_a_task_at_once(github, hooked, user):
    issue = github.add_issue(hooked, "Write the docs", author=HUBOT, assignees=[OCTOCAT])

    assert github.deliveries[-1].status == 202
    task = Task.objects.get(user=user, github_item__number=issue.number)
    assert task.title == "Write the docs"


def test_closing_and_reopening_on_github_completes_and_reopens_the_task(github, hooked, user):
    issue = github.add_issue(hooked, "Fix the bug", author=HUBOT, assignees=[OCTOCAT])

    github.close(hooked, issue)
    task = Task.objects.get(user=user, github_item__number=issue.number)
    assert task.is_completed
    assert Item.objects.get(task=task).state == "closed"

    github.reopen(hooked, issue)
    task.refresh_from_db()
    assert not task.is_completed
    assert [delivery.status for delivery in github.deliveries[1:]] == [202, 202, 202]


def test_a_merged_pull_request_completes_its_task_and_writes_evidence_to_the_goal(
    github, hooked, user, web_client
):
    goal = GoalFactory(user=user, title="Ship the search")
    pull = github.add_issue(hooked, "Faster search", author=OCTOCAT, assignees=[OCTOCAT], pull=True)
    task = Task.objects.get(user=user, github_item__number=pull.number)
    task.goal = goal
    task.save()

    github.merge(hooked, pull)

    task.refresh_from_db()
    assert task.is_completed
    item = Item.objects.get(task=task)
    assert item.state == "merged"
    assert item.evidence_at is not None
    (entry,) = ProgressEntry.objects.filter(goal=goal)
    link = f"{github.url}/{hooked.full_name}/pull/{pull.number}"
    assert "Faster search" in entry.note
    assert (entry.source, entry.evidence_url) == ("github", link)
    # The goal page shows where that progress came from, with a link to the pull request.
    page = web_client.get(goal.get_absolute_url()).content.decode()
    assert f'href="{link}"' in page

    # The same merge told again (GitHub redelivers it under a new id) writes no second check-in.
    merged = github.deliveries[-1]
    assert github.send(hooked.hooks[0][0], merged.event, merged.payload, secret=SECRET).ok
    assert ProgressEntry.objects.filter(goal=goal).count() == 1
    # Analytics count it: per goal in the API, in total on the analytics page.
    tracking = web_client.get("/api/analytics/goals").json()["goals"]
    assert [goal_tracking["evidence"] for goal_tracking in tracking] == [
        {"task": 0, "github": 1, "slack": 0}
    ]
    analytics = web_client.get(reverse("analytics:index")).content.decode()
    assert "Progress from evidence" in analytics
    assert '<span class="badge badge--primary">GitHub</span> 1 check-in<' in analytics


def test_an_unassigned_issue_keeps_its_task_marked(github, hooked, user):
    issue = github.add_issue(hooked, "Triage", author=HUBOT, assignees=[OCTOCAT, HUBOT])

    github.unassign(hooked, issue, OCTOCAT)

    item = Item.objects.get(user=user, number=issue.number)
    assert item.assigned is False
    assert Task.objects.filter(pk=item.task_id).exists()


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=" + "0" * 64, "sha1=abc", "sha256=nothex"],
    ids=["missing", "empty", "wrong", "other-algorithm", "garbage"],
)
def test_an_unsigned_or_mis_signed_delivery_is_401_and_changes_nothing(
    github, hooked, hook_url, user, signature
):
    issue = github.add_issue(hooked, "Keep me open", author=HUBOT, assignees=[OCTOCAT])
    deliveries = Delivery.objects.count()
    payload = {
        "action": "closed",
        "issue": github.issue_json(hooked, issue) | {"state": "closed"},
        "repository": github.repo_json(hooked),
    }

    answer = github.send(hook_url, "issues", payload, signature=signature)

    assert answer.status_code == 401
    assert "detail" in answer.json()
    assert Delivery.objects.count() == deliveries
    assert not Task.objects.get(github_item__number=issue.number).is_completed


def test_a_delivery_signed_with_another_secret_is_refused(github, hooked, hook_url):
    issue = github.add_issue(hooked, "Keep me open", author=HUBOT, assignees=[OCTOCAT])
    payload = {
        "action": "closed",
        "issue": github.issue_json(hooked, issue) | {"state": "closed"},
        "repository": github.repo_json(hooked),
    }

    assert github.send(hook_url, "issues", payload, secret="not-the-secret").status_code == 401
    assert not Task.objects.get(github_item__number=issue.number).is_completed


def test_a_replayed_delivery_is_ignored(github, hooked, hook_url, user):
    issue = github.add_issue(hooked, "Flaky test", author=HUBOT, assignees=[OCTOCAT])
    github.close(hooked, issue)
    github.reopen(hooked, issue)
    reopened = github.deliveries[-1]
    github.close(hooked, issue)

    # Someone who recorded the "reopened" delivery sends it again, signature and all.
    replay = github.send(
        hook_url, "issues", reopened.payload, secret=SECRET, delivery_id=reopened.delivery_id
    )

    assert replay.status_code == 200
    assert "ignored" in replay.json()["detail"]
    assert Task.objects.get(github_item__number=issue.number).is_completed
    assert Delivery.objects.filter(delivery_id=reopened.delivery_id).count() == 1


def test_a_users_own_webhook_secret_works_for_their_repositories(
    github, repo, hook_url, connected, user, settings
):
    settings.GITHUB_WEBHOOK_SECRET = ""  # no shared secret: only the user's own
    github.add_hook(repo, hook_url, connected.webhook_secret)
    issue = github.add_issue(repo, "Via my own hook", author=HUBOT, assignees=[OCTOCAT])

    github.close(repo, issue)

    assert [delivery.status for delivery in github.deliveries] == [204, 202, 202]
    assert Task.objects.get(user=user, github_item__number=issue.number).is_completed
    assert Delivery.objects.filter(user=user).count() == 2


def test_bad_input_is_a_clear_4xx(hook_url, github, hooked):
    signed_garbage = github.send(hook_url, "issues", "not an object", secret=SECRET)
    assert signed_garbage.status_code == 400
    no_json = requests.post(hook_url, data=b"\xff\xfe", timeout=5)
    assert no_json.status_code == 401
    assert requests.get(hook_url, timeout=5).status_code == 405
