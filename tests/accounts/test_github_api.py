"""POST /api/auth/github against the fake GitHub: code or token in, the API's tokens out."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialToken
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from accounts.models import User
from accounts.services import delete_account
from tests.fakes.github import GitHubUser

from .helpers import USER_FIELDS, bearer
from .twofactor import enable_totp

pytestmark = pytest.mark.django_db

OCTOCAT = GitHubUser(
    id=583231, login="octocat", name="The Octocat", emails=[("octo@example.com", True, True)]
)
APP_REDIRECT = "com.example.bakhmach://oauth"


def github_login(client, **body):
    return client.post("/api/auth/github", body, format="json")


def test_a_code_creates_the_account_and_answers_a_working_token_pair(anon_client, github):
    code = github.issue_code(OCTOCAT)

    response = github_login(anon_client, code=code)

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"user", "access", "refresh"}
    assert set(body["user"]) == USER_FIELDS
    assert body["user"]["email"] == "octo@example.com"
    assert body["user"]["github_connected"] is True
    user = User.objects.get(pk=body["user"]["id"])
    assert SocialAccount.objects.get(user=user, provider="github").uid == "583231"
    assert EmailAddress.objects.get(user=user).verified
    assert not SocialToken.objects.exists()  # GitHub's token is not kept
    me = bearer(APIClient(), body["access"]).get("/api/auth/me")
    assert me.json()["id"] == str(user.pk)


def test_the_next_code_signs_in_to_the_same_account(anon_client, github):
    first = github_login(anon_client, code=github.issue_code(OCTOCAT)).json()

    second = github_login(anon_client, code=github.issue_code(OCTOCAT))

    assert second.status_code == 200
    assert second.json()["user"]["id"] == first["user"]["id"]
    assert User.objects.count() == 1


def test_an_access_token_works_like_a_code(anon_client, github):
    response = github_login(anon_client, access_token=github.issue_token(OCTOCAT))

    assert response.status_code == 200, response.content
    assert response.json()["user"]["email"] == "octo@example.com"
    assert ("POST", "/login/oauth/access_token") not in github.requests


def test_the_redirect_uri_is_passed_on_and_must_match_the_authorize_one(anon_client, github):
    code = github.issue_code(OCTOCAT, redirect_uri=APP_REDIRECT)

    mismatch = github_login(anon_client, code=code, redirect_uri="https://evil.example/cb")
    assert mismatch.status_code == 401
    # GitHub spends a code on a failed exchange too; a fresh one with the right redirect works.
    code = github.issue_code(OCTOCAT, redirect_uri=APP_REDIRECT)
    assert github_login(anon_client, code=code, redirect_uri=APP_REDIRECT).status_code == 200


def test_a_verified_github_email_links_the_existing_account(anon_client, github, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    owner = GitHubUser(id=7, login="owner", emails=[(user.email, True, True)])

    response = github_login(anon_client, code=github.issue_code(owner))

    assert response.status_code == 200
    assert response.json()["user"]["id"] == str(user.pk)
    assert SocialAccount.objects.get(provider="github", uid="7").user == user
    assert User.objects.count() == 1


def test_an_unverified_github_email_of_an_existing_account_is_refused(anon_client, github, user):
    impostor = GitHubUser(id=666, login="mallory", emails=[(user.email, False, True)])

    response = github_login(anon_client, code=github.issue_code(impostor))

    assert response.status_code == 400
    assert "verified" in response.json()["detail"]
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == 1


def test_a_github_account_without_email_is_refused(anon_client, github):
    nameless = GitHubUser(id=9, login="ghost")

    response = github_login(anon_client, code=github.issue_code(nameless))

    assert response.status_code == 400
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ({"code": "0123456789abcdef0123"}, "unknown code"),
        ({"access_token": "gho_not-a-real-token"}, "unknown token"),
    ],
)
def test_codes_and_tokens_github_refuses_answer_401(anon_client, github, body, why):
    response = github_login(anon_client, **body)

    assert response.status_code == 401, why
    assert not User.objects.exists()


def test_an_expired_code_answers_401(anon_client, github):
    code = github.issue_code(OCTOCAT)
    github.expire_codes()

    response = github_login(anon_client, code=code)

    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_code_works_only_once(anon_client, github):
    code = github.issue_code(OCTOCAT)
    assert github_login(anon_client, code=code).status_code == 200

    assert github_login(anon_client, code=code).status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"code": "", "access_token": ""},
        {"code": "abc", "access_token": "gho_x"},
        {"code": ["a", "b"]},
        {"code": "x" * 10_000},
        {"code": "abc", "redirect_uri": "not a url"},
    ],
)
def test_malformed_bodies_answer_400(anon_client, github, body):
    assert github_login(anon_client, **body).status_code == 400
    assert not github.requests  # nothing reached GitHub


def test_neither_code_nor_token_is_one_detail_message(anon_client, github):
    response = github_login(anon_client)

    assert response.status_code == 400
    assert response.json() == {"detail": "Send either `code` or `access_token`."}


def test_a_deleted_account_cannot_come_back_through_github(anon_client, github):
    user_id = github_login(anon_client, code=github.issue_code(OCTOCAT)).json()["user"]["id"]
    delete_account(user=User.objects.get(pk=user_id))

    response = github_login(anon_client, code=github.issue_code(OCTOCAT))

    assert response.status_code == 401
    assert "access" not in response.json()


def test_without_a_github_app_the_endpoint_answers_404(anon_client, settings):
    providers = {**settings.SOCIALACCOUNT_PROVIDERS}
    providers["github"] = {**providers["github"], "APPS": []}
    settings.SOCIALACCOUNT_PROVIDERS = providers

    response = github_login(anon_client, code="abc")

    assert response.status_code == 404
    assert response.json() == {"detail": "GitHub sign-in is not configured on this server."}


def test_an_unreachable_github_answers_503(anon_client, github, settings):
    providers = {**settings.SOCIALACCOUNT_PROVIDERS}
    # The discard port: nothing answers there.
    providers["github"] = {**providers["github"], "GITHUB_URL": "http://127.0.0.1:9"}
    providers["github"].pop("GITHUB_API_URL")
    settings.SOCIALACCOUNT_PROVIDERS = providers

    assert github_login(anon_client, code="abc").status_code == 503


def test_an_existing_user_with_two_factor_gets_a_challenge_not_tokens(anon_client, github):
    user = UserFactory(email="octo@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    enable_totp(user)

    response = github_login(anon_client, code=github.issue_code(OCTOCAT))

    assert response.status_code == 200
    assert response.json()["mfa_required"] is True
    assert "access" not in response.json()


def test_an_impostors_account_loses_its_tokens_when_the_real_owner_arrives(anon_client, github):
    # Someone signs up with another person's address (never verified) and keeps the tokens.
    squatter = anon_client.post(
        "/api/auth/signup",
        {"email": "octo@example.com", "password": "squatters-own-passphrase-9"},
        format="json",
    ).json()

    # The address's owner then signs in with GitHub, which vouches for the address.
    response = github_login(APIClient(), code=github.issue_code(OCTOCAT))

    assert response.status_code == 200
    assert response.json()["user"]["id"] == squatter["user"]["id"]
    assert bearer(APIClient(), squatter["access"]).get("/api/auth/me").status_code == 401
    stale = APIClient().post("/api/auth/refresh", {"refresh": squatter["refresh"]}, format="json")
    assert stale.status_code == 401
    login = APIClient().post(
        "/api/auth/login",
        {"email": "octo@example.com", "password": "squatters-own-passphrase-9"},
        format="json",
    )
    assert login.status_code == 401


def test_a_token_github_issued_to_another_app_is_refused(anon_client, github):
    # Another app's owner holds its users' GitHub tokens; they must not open accounts here.
    foreign = github.issue_token(OCTOCAT, client_id="Iv1.someoneelsesapp")

    response = github_login(anon_client, access_token=foreign)

    assert response.status_code == 401
    assert "not issued to this application" in response.json()["detail"]
    assert not User.objects.exists()
    assert ("GET", "/api/v3/user") not in github.requests
