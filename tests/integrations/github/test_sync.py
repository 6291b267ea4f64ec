"""Import and sync: issues and pull requests become tasks, once, and follow GitHub."""

import datetime
import time

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext

from goals.factories import GoalFactory
from integrations.github import services
from integrations.github.client import RateLimited
from integrations.github.models import GoalMapping, Item, Repository, SyncRun
from tasks.models import Task

from .conftest import HUBOT, OCTOCAT

pytestmark = pytest.mark.django_db


def sync(api_client):
    answer = api_client.post("/api/integrations/github/sync")
    assert answer.status_code == 202, answer.content
    return SyncRun.objects.get(pk=answer.json()["id"])


def issue_calls(github):
    return [call for call in github.api_calls if call[1].endswith("/issues")]


def test_assigned_issues_and_pull_requests_become_linked_tasks_and_a_second_sync_adds_nothing(
    api_client, github, connected, repo, run_jobs, user
):
    login = github.add_issue(repo, "Fix the login page", author=HUBOT, assignees=[OCTOCAT])
    pull = github.add_issue(repo, "Faster search", author=OCTOCAT, assignees=[OCTOCAT], pull=True)
    github.add_issue(repo, "Someone else's", author=OCTOCAT, assignees=[HUBOT])
    github.add_issue(repo, "Nobody's", author=HUBOT)

    with run_jobs():
        first = sync(api_client)

    first.refresh_from_db()
    assert (first.status, first.imported) == ("ready", 2)
    items = {item.number: item for item in Item.objects.filter(user=user)}
    assert set(items) == {login.number, pull.number}
    issue_item = items[login.number]
    assert (issue_item.kind, issue_item.state, issue_item.assigned) == ("issue", "open", True)
    assert issue_item.html_url == f"{github.url}/{repo.full_name}/issues/{login.number}"
    assert issue_item.task.title == "Fix the login page"
    assert issue_item.task.user == user
    # The task names the issue and links to it.
    assert f"{repo.full_name}#{login.number}" in issue_item.task.description
    assert issue_item.html_url in issue_item.task.description
    assert items[pull.number].kind == "pull"

    with run_jobs():
        second = sync(api_client)

    second.refresh_from_db()
    assert (second.status, second.imported, second.updated) == ("ready", 0, 0)
    assert Task.objects.filter(user=user).count() == 2
    # Nothing changed on GitHub: the list answered 304 to our ETag.
    assert issue_calls(github)[-1][2] == 304


def test_closed_work_is_imported_done_and_changes_follow_on_the_next_sync(
    api_client, github, connected, repo, run_jobs, user
):
    done = github.add_issue(repo, "Old bug", author=HUBOT, assignees=[OCTOCAT], notify=False)
    github.close(repo, done)
    open_issue = github.add_issue(repo, "New bug", author=HUBOT, assignees=[OCTOCAT])
    with run_jobs():
        sync(api_client)
    assert Task.objects.get(github_item__number=done.number).is_completed
    assert not Task.objects.get(github_item__number=open_issue.number).is_completed

    github.close(repo, open_issue)
    github.reopen(repo, done)
    github.retitle(repo, done, "Old bug, again")
    with run_jobs():
        run = sync(api_client)

    run.refresh_from_db()
    assert (run.imported, run.updated) == (0, 2)
    assert Task.objects.get(github_item__number=open_issue.number).is_completed
    reopened = Item.objects.get(number=done.number)
    assert reopened.state == "open"
    assert reopened.title == "Old bug, again"
    assert not reopened.task.is_completed
    assert reopened.task.title == "Old bug"  # the task is the user's: its title stays theirs


def test_authored_and_labelled_options(api_client, github, connected, repo, run_jobs, user):
    github.add_issue(repo, "Mine, assigned", author=HUBOT, assignees=[OCTOCAT], labels=["work"])
    github.add_issue(repo, "Opened by me", author=OCTOCAT, labels=["work"])
    github.add_issue(repo, "Opened by me, other label", author=OCTOCAT, labels=["home"])
    connected.import_authored = True
    connected.import_label = "Work"
    connected.save()

    with run_jobs():
        sync(api_client)

    titles = set(Task.objects.filter(user=user).values_list("title", flat=True))
    assert titles == {"Mine, assigned", "Opened by me"}
    authored = Item.objects.get(title="Opened by me")
    assert authored.assigned is False  # imported as authored, not assigned


def test_labels_and_milestones_map_to_goals(api_client, github, connected, repo, run_jobs, user):
    career = GoalFactory(user=user, title="Grow as an engineer")
    launch = GoalFactory(user=user, title="Ship 2.0")
    services.add_goal_mapping(user=user, kind="label", name="Career", goal=career)
    services.add_goal_mapping(user=user, kind="milestone", name="v2.0", goal=launch)
    github.add_issue(repo, "Give a talk", author=HUBOT, assignees=[OCTOCAT], labels=["career"])
    github.add_issue(
        repo,
        "Release notes",
        author=HUBOT,
        assignees=[OCTOCAT],
        milestone="v2.0",
        milestone_due="2026-03-01T08:00:00Z",
    )
    github.add_issue(repo, "Unmapped", author=HUBOT, assignees=[OCTOCAT])

    with run_jobs():
        sync(api_client)

    assert Task.objects.get(title="Give a talk").goal == career
    release = Task.objects.get(title="Release notes")
    assert release.goal == launch
    assert release.due_date == datetime.date(2026, 3, 1)  # the milestone's due date
    assert Task.objects.get(title="Unmapped").goal is None


def test_a_mapping_takes_only_your_own_goal_and_one_per_name(api_client, user, other_user):
    mine = GoalFactory(user=user)
    theirs = GoalFactory(user=other_user)

    refused = api_client.post(
        "/api/integrations/github/mappings", {"kind": "label", "name": "x", "goal": str(theirs.pk)}
    )
    assert refused.status_code == 400
    assert "goal" in refused.json()
    created = api_client.post(
        "/api/integrations/github/mappings", {"kind": "label", "name": "Ops", "goal": str(mine.pk)}
    )
    assert created.status_code == 201
    again = api_client.post(
        "/api/integrations/github/mappings", {"kind": "label", "name": "ops", "goal": str(mine.pk)}
    )
    assert again.status_code == 400
    assert GoalMapping.objects.count() == 1
    mapping_id = created.json()["id"]
    assert api_client.delete(f"/api/integrations/github/mappings/{mapping_id}").status_code == 204


def test_a_thousand_issues_across_pages_cost_the_same_queries_per_page(
    github, user, other_user, django_user_model
):
    """1,000 issues arrive over 10 pages of 100; each page costs the same fixed queries."""
    from accounts.factories import UserFactory

    def import_issues(count):
        person = UserFactory()
        repo = github.add_repo(OCTOCAT, f"big-{count}")
        github.add_issues(repo, count, author=HUBOT, assignees=[OCTOCAT])
        token = github.issue_token(OCTOCAT)
        connection = services.connect(user=person, token=token, scopes="repo")
        Repository.objects.filter(user=person, github_id=repo.id).update(selected=True)
        run = SyncRun.objects.get(user=person)
        with CaptureQueriesContext(db) as queries:
            services.run_sync(run_id=run.pk)
        run.refresh_from_db()
        assert (run.status, run.imported) == ("ready", count), run.error
        assert Task.objects.filter(user=person).count() == count
        connection.delete()
        return len(queries)

    one_page = import_issues(100)
    two_pages = import_issues(200)
    ten_pages = import_issues(1000)

    per_page = two_pages - one_page
    # A page: the links it already has (1); the user's tasks counted, room for the page
    # (1, lib.limits); the new tasks (1) and their links (1), one INSERT each; the job's
    # counts (1); where the pass has got to (1); the savepoint and release of apply_items and
    # of create_tasks (4; in a worker the outer one is the transaction).
    assert per_page == 10
    assert ten_pages == one_page + 9 * per_page


def test_the_job_waits_for_the_rate_limit_to_reset_and_finishes(
    api_client, github, connected, repo, run_jobs, user
):
    github.add_issues(repo, 250, author=HUBOT, assignees=[OCTOCAT])
    # Two requests left (the repository list and the first page), then the limit resets.
    github.limit_to(2, reset_in=1.5)
    reset_at, start = github.reset_at, len(github.api_calls)

    with run_jobs():
        run = sync(api_client)

    run.refresh_from_db()
    assert (run.status, run.imported) == ("ready", 250)
    assert Task.objects.filter(user=user).count() == 250
    # It waited for the reset: no request hammered GitHub while the limit was used up.
    calls_before_reset = [call for call in github.api_calls[start:] if call[0] < reset_at]
    assert len(calls_before_reset) == 2
    assert all(status == 200 for _, _, status in calls_before_reset)


def test_a_secondary_rate_limit_403_is_waited_out(
    api_client, github, connected, repo, run_jobs, user
):
    github.add_issue(repo, "One", author=HUBOT, assignees=[OCTOCAT])
    github.refuse_next(1, retry_after=1)

    with run_jobs():
        run = sync(api_client)

    run.refresh_from_db()
    assert (run.status, run.imported) == ("ready", 1)
    (refused,) = [call for call in github.api_calls if call[2] == 429]
    after = [call for call in github.api_calls if call[0] > refused[0]]
    assert after
    assert after[0][0] - refused[0] >= 1.0  # Retry-After honoured


def test_a_long_rate_limit_reschedules_and_the_sync_resumes_without_duplicates(
    github, connected, repo, user, settings
):
    settings.GITHUB_MAX_WAIT_SECONDS = 0.2  # the wait below is longer: the job must give up
    github.add_issues(repo, 250, author=HUBOT, assignees=[OCTOCAT])
    run = services.request_sync(user=user, trigger="manual")
    github.limit_to(2, reset_in=1.5)

    with pytest.raises(RateLimited):
        services.run_sync(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == "running"
    assert Task.objects.filter(user=user).count() == 100  # the first page is in
    state = Repository.objects.get(user=user, github_id=repo.id).sync_state["assigned"]
    assert "page=2" in state["next"]

    time.sleep(max(github.reset_at - time.time(), 0) + 0.1)
    calls_before = len(github.api_calls)
    services.run_sync(run_id=run.pk)  # what the task's retry does

    run.refresh_from_db()
    assert (run.status, run.imported) == ("ready", 250)
    assert Task.objects.filter(user=user).count() == 250
    assert Item.objects.filter(user=user).count() == 250
    resumed = [call for call in github.api_calls[calls_before:] if call[1].endswith("/issues")]
    assert len(resumed) == 2  # pages 2 and 3; page 1 was not read again


def test_only_selected_repositories_are_imported_and_others_can_be_picked(
    api_client, github, connected, repo, run_jobs, user
):
    other = github.add_repo(OCTOCAT, "side-project")
    github.add_issue(other, "Side thing", author=OCTOCAT, assignees=[OCTOCAT])
    with run_jobs():
        sync(api_client)
    assert not Task.objects.filter(user=user, title="Side thing").exists()

    repositories = api_client.get("/api/integrations/github/repositories").json()["results"]
    side = next(entry for entry in repositories if entry["full_name"] == other.full_name)
    assert side["selected"] is False
    picked = api_client.patch(
        f"/api/integrations/github/repositories/{side['id']}", {"selected": True}, format="json"
    )
    assert picked.status_code == 200
    assert picked.json()["selected"] is True
    with run_jobs():
        sync(api_client)

    assert Task.objects.filter(user=user, title="Side thing").exists()


def test_github_down_fails_the_job_after_its_retries_and_the_next_sync_recovers(
    api_client, github, connected, repo, user, eager_celery_keeping_errors, run_jobs
):
    github.add_issue(repo, "Eventually", author=HUBOT, assignees=[OCTOCAT])
    github.break_for(100)

    with run_jobs():
        run = sync(api_client)

    run.refresh_from_db()
    assert run.status == "failed"
    assert "did not answer" in run.error
    state = api_client.get("/api/integrations/github").json()
    assert (state["connected"], state["state"]) == (True, "error")
    assert "did not answer" in state["error"]

    github.break_for(0)
    with run_jobs():
        again = sync(api_client)

    again.refresh_from_db()
    assert (again.status, again.imported) == ("ready", 1)
    assert api_client.get("/api/integrations/github").json()["state"] == "connected"


def test_a_repository_gone_on_github_is_reported_and_the_others_still_sync(
    api_client, github, connected, repo, run_jobs, user
):
    other = github.add_repo(OCTOCAT, "still-here")
    github.add_issue(other, "Still here", author=HUBOT, assignees=[OCTOCAT])
    with run_jobs():
        services.connect(user=user, token=connected.token, scopes="repo")  # lists `other`
    Repository.objects.filter(user=user).update(selected=True)
    del github.repos[repo.full_name]  # deleted, or our access to it removed

    with run_jobs():
        run = sync(api_client)

    run.refresh_from_db()
    assert (run.status, run.imported) == ("ready", 1)
    state = api_client.get("/api/integrations/github").json()
    assert state["state"] == "error"
    assert state["error"].startswith(f"{repo.full_name}: GitHub answered 404")
