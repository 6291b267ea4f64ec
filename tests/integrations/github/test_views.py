"""The settings section's forms: they work without JavaScript and refuse bad input plainly."""

import pytest
from django.urls import reverse

from goals.factories import GoalFactory
from integrations.github import services
from integrations.github.models import GoalMapping, Repository, SyncRun
from tests.web import HTMX

from .conftest import OCTOCAT

pytestmark = pytest.mark.django_db

SETTINGS = reverse("integrations:settings")


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_picking_repositories(web_client, connected, user, github, other_user):
    second = github.add_repo(OCTOCAT, "second")
    services.connect(user=user, token=connected.token, scopes="repo")  # lists `second` too
    ours = Repository.objects.get(user=user, github_id=second.id)

    response = web_client.post(
        reverse("integrations:github:repositories"), {"repositories": [ours.pk]}, follow=True
    )

    assert "Importing from 1 repository" in " ".join(messages_of(response))
    assert list(Repository.objects.filter(user=user, selected=True)) == [ours]
    theirs = Repository.objects.create(
        user=other_user, github_id=5, full_name="x/y", html_url="https://example.com/x/y"
    )
    refused = web_client.post(
        reverse("integrations:github:repositories"), {"repositories": [theirs.pk]}, follow=True
    )
    assert "Choose among your own repositories" in " ".join(messages_of(refused))
    assert list(Repository.objects.filter(user=user, selected=True)) == [ours]


def test_import_options(web_client, connected):
    response = web_client.post(
        reverse("integrations:github:options"),
        {"import_authored": "on", "import_label": "  focus "},
        follow=True,
    )

    assert "Import options saved." in messages_of(response)
    connected.refresh_from_db()
    assert (connected.import_authored, connected.import_label) == (True, "focus")
    too_long = web_client.post(
        reverse("integrations:github:options"), {"import_label": "x" * 101}, follow=True
    )
    assert "at most 100 characters" in " ".join(messages_of(too_long))


def test_mappings_are_added_refused_and_removed(web_client, connected, user, other_user):
    goal = GoalFactory(user=user, title="Learn Rust")
    theirs = GoalFactory(user=other_user)
    add = reverse("integrations:github:mapping-add")

    added = web_client.post(add, {"kind": "label", "name": "rust", "goal": goal.pk}, follow=True)
    duplicate = web_client.post(
        add, {"kind": "label", "name": "Rust", "goal": goal.pk}, follow=True
    )
    foreign = web_client.post(add, {"kind": "label", "name": "x", "goal": theirs.pk}, follow=True)

    assert "Mapping added" in " ".join(messages_of(added))
    assert "already goes to a goal" in " ".join(messages_of(duplicate))
    assert "valid choice" in " ".join(messages_of(foreign))
    mapping = GoalMapping.objects.get(user=user)
    page = web_client.get(SETTINGS).content.decode()
    assert "Learn Rust" in page
    assert reverse("integrations:github:mapping-delete", args=[mapping.pk]) in page

    removed = web_client.post(reverse("integrations:github:mapping-delete", args=[mapping.pk]))
    assert removed.status_code == 302
    assert not GoalMapping.objects.exists()


def test_anothers_mapping_is_404(web_client, connected, other_user):
    mapping = GoalMapping.objects.create(
        user=other_user, kind="label", name="x", goal=GoalFactory(user=other_user)
    )

    response = web_client.post(reverse("integrations:github:mapping-delete", args=[mapping.pk]))

    assert response.status_code == 404
    assert GoalMapping.objects.filter(pk=mapping.pk).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for name in ("integrations:settings", "integrations:github:connect"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_while_syncing_the_section_refreshes_itself_until_done(web_client, connected, repo):
    web_client.post(reverse("integrations:github:sync"))  # queued: no worker in this test
    page = web_client.get(SETTINGS).content.decode()
    assert 'hx-trigger="every 2s"' in page

    fragment = web_client.get(reverse("integrations:github:section"), **HTMX)
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert b'data-state="syncing"' in fragment.content
    without_js = web_client.get(reverse("integrations:github:section"))
    assert without_js.status_code == 302

    SyncRun.objects.update(status="ready")
    done = web_client.get(reverse("integrations:github:section"), **HTMX).content.decode()
    assert "every 2s" not in done
    assert 'data-state="connected"' in done
