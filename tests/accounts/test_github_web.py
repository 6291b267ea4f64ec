"""GitHub sign-in on the web (allauth), run end to end against the fake GitHub over HTTP."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from accounts.models import User, UserSettings
from tests.fakes.github import GitHubUser

pytestmark = pytest.mark.django_db

OCTOCAT = GitHubUser(
    id=583231, login="octocat", name="The Octocat", emails=[("octo@example.com", True, True)]
)


def start_at_github(client, *, process="login"):
    """Press "Continue with GitHub": allauth's POST answers the redirect to GitHub's authorize."""
    url = reverse("github_login") + (f"?process={process}" if process != "login" else "")
    response = client.post(url)
    assert response.status_code == 302, response.content
    return response["Location"]


def through_github(authorize_url):
    """The browser at GitHub's authorize page: it redirects back with a code (or an error)."""
    answer = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def back_at_site(client, callback_url):
    parts = urlsplit(callback_url)
    assert parts.path == reverse("github_callback")
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client, github, person, *, process="login"):
    github.sign_in(person)
    return back_at_site(client, through_github(start_at_github(client, process=process)))


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def with_query(url, **changes):
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()} | changes
    return parts._replace(query="&".join(f"{k}={v}" for k, v in query.items())).geturl()


def test_authorize_redirect_names_our_app_callback_scopes_and_a_state(client, github):
    authorize_url = start_at_github(client)

    parts = urlsplit(authorize_url)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{github.url}/login/oauth/authorize"
    assert query["client_id"] == ["Iv1.fakeclientid0001"]
    assert query["redirect_uri"] == ["http://testserver" + reverse("github_callback")]
    assert set(query["scope"][0].split()) == {"read:user", "user:email"}
    assert len(query["state"][0]) >= 12


def test_a_new_github_user_gets_an_account_and_is_signed_in(client, github):
    response = sign_in(client, github, OCTOCAT)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    user = signed_in_user(client)
    assert user.email == "octo@example.com"
    assert user.username == "octocat"
    assert not user.has_usable_password()
    assert SocialAccount.objects.get(user=user, provider="github").uid == "583231"
    # GitHub vouched for the address, so it counts as verified here too.
    assert EmailAddress.objects.get(user=user).verified
    assert UserSettings.objects.filter(user=user).exists()
    # The code exchange and both look-ups really went to GitHub; its token was not kept.
    assert ("POST", "/login/oauth/access_token") in github.requests
    assert ("GET", "/api/v3/user") in github.requests
    assert ("GET", "/api/v3/user/emails") in github.requests
    assert not SocialAccount.objects.get(user=user).socialtoken_set.exists()


def test_signing_in_again_reuses_the_account(client, github):
    sign_in(client, github, OCTOCAT)
    first = signed_in_user(client)
    again = Client()

    sign_in(again, github, OCTOCAT)

    assert signed_in_user(again) == first
    assert User.objects.count() == 1


def test_a_verified_github_email_signs_in_to_the_existing_account_and_links_it(client, github):
    owner = UserFactory(email="octo@example.com")
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)

    sign_in(client, github, OCTOCAT)

    assert signed_in_user(client) == owner
    assert SocialAccount.objects.get(provider="github", uid="583231").user == owner
    owner.refresh_from_db()
    assert owner.has_usable_password()  # the address was verified here: nothing to fear
    assert User.objects.count() == 1


def test_linking_an_account_whose_email_was_never_verified_here_wipes_its_password(
    client, github, password
):
    # Whoever registered this address here never proved it: it may be an impostor's account,
    # so the password they chose stops working once the real owner arrives through GitHub.
    squatted = UserFactory(email="octo@example.com")
    EmailAddress.objects.create(user=squatted, email=squatted.email, verified=False, primary=True)

    sign_in(client, github, OCTOCAT)

    assert signed_in_user(client) == squatted
    squatted.refresh_from_db()
    assert not squatted.check_password(password)


def test_an_unverified_github_email_is_not_linked_to_the_account_that_has_it(client, github):
    owner = UserFactory(email="octo@example.com")
    impostor = GitHubUser(id=666, login="mallory", emails=[("octo@example.com", False, True)])

    response = sign_in(client, github, impostor)

    assert response.status_code == 302
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()
    assert list(User.objects.all()) == [owner]


def test_denied_consent_signs_nobody_in(client, github):
    github.deny_consent = True

    response = sign_in(client, github, OCTOCAT)

    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_login_cancelled")
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    assert ("POST", "/login/oauth/access_token") not in github.requests


def test_a_forged_state_is_refused_before_the_code_is_used(client, github):
    github.sign_in(OCTOCAT)
    callback = through_github(start_at_github(client))

    response = back_at_site(client, with_query(callback, state="forgedstate0"))

    assert response.status_code == 401  # allauth's "social network login failure" page
    assert signed_in_user(client) is None
    assert ("POST", "/login/oauth/access_token") not in github.requests


def test_a_callback_started_in_another_browser_is_refused(client, github):
    # Login CSRF: an attacker's own code and state, delivered to the victim's browser.
    github.sign_in(OCTOCAT)
    attackers_callback = through_github(start_at_github(Client()))

    response = back_at_site(client, attackers_callback)

    assert response.status_code == 401
    assert signed_in_user(client) is None
    assert not User.objects.exists()


def test_an_expired_code_signs_nobody_in(client, github):
    github.sign_in(OCTOCAT)
    callback = through_github(start_at_github(client))
    github.expire_codes()

    response = back_at_site(client, callback)

    assert response.status_code == 401
    assert signed_in_user(client) is None
    assert not User.objects.exists()
    assert ("POST", "/login/oauth/access_token") in github.requests


def test_a_signed_in_user_connects_github_to_their_account(web_client, user, github):
    response = sign_in(web_client, github, OCTOCAT, process="connect")

    assert response.status_code == 302
    assert response["Location"] == reverse("socialaccount_connections")
    assert SocialAccount.objects.get(provider="github").user == user
    assert signed_in_user(web_client) == user


def test_disconnecting_github_from_an_account_with_a_password(web_client, user, github):
    account = SocialAccount.objects.create(user=user, provider="github", uid="583231")

    response = web_client.post(reverse("socialaccount_connections"), {"account": account.pk})

    assert response.status_code == 302
    assert not SocialAccount.objects.exists()


def test_disconnecting_the_only_way_to_log_in_is_refused(client, github):
    sign_in(client, github, OCTOCAT)  # a GitHub-only account: no usable password
    account = SocialAccount.objects.get()

    response = client.post(reverse("socialaccount_connections"), {"account": account.pk})

    assert response.status_code == 200
    assert "password" in response.context["form"].errors["__all__"][0].lower()
    assert SocialAccount.objects.filter(pk=account.pk).exists()


def test_someone_elses_connection_cannot_be_disconnected(web_client, other_user, github):
    theirs = SocialAccount.objects.create(user=other_user, provider="github", uid="1")

    response = web_client.post(reverse("socialaccount_connections"), {"account": theirs.pk})

    assert response.status_code == 200
    assert SocialAccount.objects.filter(pk=theirs.pk).exists()


def test_the_login_and_signup_pages_offer_github_when_it_is_configured(client, github):
    login_url = reverse("github_login")

    assert login_url in client.get(reverse("account_login")).content.decode()
    assert login_url in client.get(reverse("account_signup")).content.decode()


def test_without_a_github_app_there_is_no_github_button(client, settings):
    providers = {**settings.SOCIALACCOUNT_PROVIDERS}
    providers["github"] = {**providers["github"], "APPS": []}
    settings.SOCIALACCOUNT_PROVIDERS = providers

    assert reverse("github_login") not in client.get(reverse("account_login")).content.decode()


def test_the_connections_page_offers_github_only_when_it_is_set_up(web_client, settings):
    url = reverse("socialaccount_connections")
    html = web_client.get(url).content.decode()
    assert "No sign-in with another account" in html
    assert "Add a third-party account" not in html  # no heading over an empty list

    settings.SOCIALACCOUNT_PROVIDERS = {
        "github": {
            **settings.SOCIALACCOUNT_PROVIDERS["github"],
            "APPS": [{"client_id": "an-app", "secret": "its-secret"}],
        }
    }
    html = web_client.get(url).content.decode()
    assert "Add a third-party account" in html
    assert "Continue with GitHub" in html
