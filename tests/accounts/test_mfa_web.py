"""Two-factor authentication on the web (allauth.mfa): set-up with a QR code, and login."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse

from .twofactor import Authenticator as Phone
from .twofactor import enable_totp, recovery_codes

pytestmark = pytest.mark.django_db

SECRET_FIELD = re.compile(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"')


@pytest.fixture
def verified_user(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(client, user, password):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def confirm_password(client, password):
    """allauth asks for the password again before two-factor settings change."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def wrong_code(phone):
    return "000000" if phone.code() != "000000" else "111111"


def test_setting_up_an_authenticator_app_shows_a_qr_code_and_activates_with_a_code(
    client, verified_user, password
):
    log_in(client, verified_user, password)
    confirm_password(client, password)

    page = client.get(reverse("mfa_activate_totp"))

    assert page.status_code == 200
    html = page.content.decode()
    # The QR code is an inline SVG image (img-src allows data:); the page runs no inline script.
    assert 'src="data:image/svg+xml;base64,' in html
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\b(src|nonce)=)(?![^>]*application/json)", html)
    phone = Phone(SECRET_FIELD.search(html).group(1))

    response = client.post(reverse("mfa_activate_totp"), {"code": phone.code()})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=verified_user, type="totp").exists()
    # Recovery codes come with it, to view once set up.
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert len(recovery_codes(verified_user)) == 10


def test_a_wrong_code_does_not_activate_the_authenticator(client, verified_user, password):
    log_in(client, verified_user, password)
    confirm_password(client, password)
    client.get(reverse("mfa_activate_totp"))

    response = client.post(reverse("mfa_activate_totp"), {"code": "12345"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Authenticator.objects.filter(user=verified_user).exists()


def test_login_asks_for_the_code_before_signing_in(client, verified_user, password):
    phone = enable_totp(verified_user)

    response = log_in(client, verified_user, password)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None  # the password alone signs nobody in
    assert client.get(reverse("dashboard")).status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": wrong_code(phone)})
    assert wrong.status_code == 200
    assert signed_in_user_id(client) is None

    right = client.post(reverse("mfa_authenticate"), {"code": phone.code()})
    assert right.status_code == 302
    assert signed_in_user_id(client) == str(verified_user.pk)


def test_a_recovery_code_signs_in_once(client, verified_user, password):
    enable_totp(verified_user)
    code = recovery_codes(verified_user)[0]

    log_in(client, verified_user, password)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert signed_in_user_id(client) == str(verified_user.pk)

    client.logout()
    log_in(client, verified_user, password)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert signed_in_user_id(client) is None


def test_repeated_wrong_codes_are_throttled_with_a_clear_message(client, verified_user, password):
    phone = enable_totp(verified_user)
    log_in(client, verified_user, password)
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": wrong_code(phone)})

    response = client.post(reverse("mfa_authenticate"), {"code": phone.code()})

    assert "Too many failed login attempts" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_github_login_also_asks_for_the_code(client, verified_user, github):
    from tests.accounts.test_github_web import sign_in
    from tests.fakes.github import GitHubUser

    enable_totp(verified_user)
    person = GitHubUser(id=5, login="owner", emails=[(verified_user.email, True, True)])

    response = sign_in(client, github, person)

    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
