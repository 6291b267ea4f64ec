"""The integration's API: sync jobs, items, repositories; ownership and the schema."""

import pytest

from integrations.github.models import Item, Repository, SyncRun

from .conftest import HUBOT, OCTOCAT

pytestmark = pytest.mark.django_db


def test_sync_answers_202_with_a_job_to_poll(api_client, github, connected, repo, run_jobs):
    github.add_issue(repo, "Do it", author=HUBOT, assignees=[OCTOCAT])

    with run_jobs():
        answer = api_client.post("/api/integrations/github/sync")

    assert answer.status_code == 202
    job = answer.json()
    assert set(job) >= {"id", "kind", "format", "status", "created_at", "finished_at"}
    assert set(job) >= {"download_url", "error", "imported", "updated", "trigger"}
    assert (job["kind"], job["status"], job["format"]) == ("github_sync", "queued", None)
    assert answer["Location"].endswith(f"/api/integrations/github/sync/{job['id']}")
    polled = api_client.get(answer["Location"]).json()
    assert (polled["status"], polled["imported"], polled["error"]) == ("ready", 1, "")
    assert polled["finished_at"] is not None


def test_asking_again_while_a_sync_is_queued_answers_the_same_job(api_client, connected):
    first = api_client.post("/api/integrations/github/sync").json()
    second = api_client.post("/api/integrations/github/sync").json()

    assert first["id"] == second["id"]
    assert SyncRun.objects.filter(trigger="manual").count() == 1


def test_sync_without_a_connection_is_409(api_client):
    answer = api_client.post("/api/integrations/github/sync")

    assert answer.status_code == 409
    assert answer.json() == {"detail": "GitHub is not connected."}


def test_other_users_jobs_repositories_and_mappings_are_404(
    api_client, connected, other_user, github
):
    run = SyncRun.objects.create(user=other_user, trigger="manual")
    theirs = Repository.objects.create(
        user=other_user, github_id=1, full_name="x/y", html_url="https://example.com/x/y"
    )

    assert api_client.get(f"/api/integrations/github/sync/{run.pk}").status_code == 404
    assert api_client.get("/api/integrations/github/sync/not-a-uuid").status_code == 404
    patched = api_client.patch(
        f"/api/integrations/github/repositories/{theirs.pk}", {"selected": True}, format="json"
    )
    assert patched.status_code == 404
    assert api_client.delete("/api/integrations/github/mappings/999999").status_code == 404
    listed = api_client.get("/api/integrations/github/repositories").json()["results"]
    assert "x/y" not in {entry["full_name"] for entry in listed}


def test_items_link_back_to_their_tasks(api_client, github, connected, repo, run_jobs):
    issue = github.add_issue(repo, "Linked", author=HUBOT, assignees=[OCTOCAT])
    github.add_issue(repo, "Merged one", author=OCTOCAT, assignees=[OCTOCAT], pull=True)
    with run_jobs():
        api_client.post("/api/integrations/github/sync")
    item = Item.objects.get(number=issue.number)

    page = api_client.get("/api/integrations/github/items", {"kind": "issue"}).json()

    assert page["count"] == 1
    (entry,) = page["results"]
    assert entry["task"] == str(item.task_id)
    assert (entry["repository"], entry["number"], entry["state"]) == (
        repo.full_name,
        issue.number,
        "open",
    )
    by_task = api_client.get("/api/integrations/github/items", {"task": str(item.task_id)})
    assert by_task.json()["count"] == 1
    assert api_client.get("/api/integrations/github/items", {"task": "nope"}).status_code == 400


def test_the_admin_lists_connections_without_their_secrets(client, connected, django_user_model):
    admin_user = django_user_model.objects.create_superuser(
        email="admin@example.com", password="admin-pass-1234"
    )
    client.force_login(admin_user)

    page = client.get("/admin/integrations_github/connection/")
    detail = client.get(f"/admin/integrations_github/connection/{connected.pk}/change/")

    assert page.status_code == 200
    assert "octocat" in page.content.decode()
    assert detail.status_code == 200
    assert connected.token not in detail.content.decode()
    assert connected.encrypted_token not in detail.content.decode()
