"""The GitHub integration against the fake GitHub (tests/fakes/github.py), over real HTTP."""

from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from tests.fakes.github import GitHubUser

OCTOCAT = GitHubUser(
    id=583231, login="octocat", name="The Octocat", emails=[("octo@example.com", True, True)]
)
HUBOT = GitHubUser(id=9919, login="hubot", name="Hubot", emails=[("hubot@example.com", True, True)])


def connect_through_github(client, github, person=OCTOCAT):
    """Settings → Connect GitHub: our redirect, GitHub's authorize page, the callback."""
    github.sign_in(person)
    start = client.get(reverse("integrations:github:connect"))
    assert start.status_code == 302, start.content
    at_github = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_github.status_code == 302, at_github.text
    back = urlsplit(at_github.headers["Location"])
    assert back.path == reverse("integrations:github:callback")
    return client.get(f"{back.path}?{back.query}")


@pytest.fixture
def repo(github):
    """octocat's repository, which hubot can read too."""
    return github.add_repo(OCTOCAT, "hello-world", readers=[HUBOT])


@pytest.fixture
def connected(web_client, github, repo, user, run_jobs):
    """`user` connected to GitHub as octocat (its first sync done), importing from `repo`."""
    from integrations.github.models import Repository

    with run_jobs():
        connect_through_github(web_client, github)
    Repository.objects.filter(user=user, github_id=repo.id).update(selected=True)
    return user.github_connection
