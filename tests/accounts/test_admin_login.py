"""The admin's door is allauth's login: two-factor applies and failures are rate limited."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User

from .twofactor import enable_totp

pytestmark = pytest.mark.django_db

ADMIN_PASSWORD = "admin-violet-otter-harbour-91"


@pytest.fixture
def superuser():
    admin = User.objects.create_superuser(email="root@example.com", password=ADMIN_PASSWORD)
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    return admin


def test_the_admin_login_form_does_not_sign_in_with_a_password_alone(client, superuser):
    enable_totp(superuser)

    response = client.post(
        "/admin/login/?next=/admin/", {"username": superuser.email, "password": ADMIN_PASSWORD}
    )

    assert client.session.get("_auth_user_id") is None
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get("/admin/").status_code == 302


def test_the_admin_signs_in_through_allauth_with_the_second_factor(client, superuser):
    phone = enable_totp(superuser)

    login_page = client.get("/admin/login/?next=/admin/")
    assert login_page.status_code == 302
    assert login_page["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"

    password_step = client.post(
        login_page["Location"], {"login": superuser.email, "password": ADMIN_PASSWORD}
    )
    assert password_step["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # the password alone is not enough

    code_step = client.post(reverse("mfa_authenticate"), {"code": phone.code()})
    assert code_step["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_non_staff_user_is_refused(client, user):
    client.force_login(user)

    assert client.get("/admin/login/").status_code == 403
    assert client.get("/admin/").status_code == 302


def test_repeated_wrong_admin_passwords_are_throttled(client, superuser):
    login_url = reverse("account_login") + "?next=/admin/"
    for attempt in range(5):
        client.post(login_url, {"login": superuser.email, "password": f"wrong-{attempt}"})

    blocked = client.post(login_url, {"login": superuser.email, "password": ADMIN_PASSWORD})

    assert "Too many failed login attempts" in blocked.content.decode()
    assert client.session.get("_auth_user_id") is None
    assert client.get("/admin/").status_code == 302
