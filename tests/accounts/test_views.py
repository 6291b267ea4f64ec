import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.factories import UserFactory
from accounts.models import User, UserSettings
from tests.web import request_overhead

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def image_file(name="me.png", image_format="PNG", size=(64, 64), noise=False):
    mode = "RGB"
    image = (
        Image.frombytes(mode, size, os.urandom(size[0] * size[1] * 3))
        if noise
        else Image.new(mode, size, "#3347d6")
    )
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def test_settings_page_has_every_section(web_client):
    response = web_client.get(reverse("accounts:settings"))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Profile", "Picture", "Preferences", "Delete account"):
        assert text in html
    for name in (
        "account_change_password",
        "mfa_index",
        "usersessions_list",
        "socialaccount_connections",
    ):
        assert f'href="{reverse(name)}"' in html


def test_settings_page_costs_a_fixed_number_of_queries(web_client, django_assert_num_queries):
    overhead = request_overhead(web_client)
    with django_assert_num_queries(overhead):  # nothing beyond the user and their settings
        web_client.get(reverse("accounts:settings"))


def test_settings_needs_login(client):
    assert client.get(reverse("accounts:settings")).status_code == 302


def test_profile_update(web_client, user):
    response = web_client.post(reverse("accounts:profile"), {"name": "Ivan", "username": "ivan"})
    assert response.url == reverse("accounts:settings")
    user.refresh_from_db()
    assert (user.name, user.username) == ("Ivan", "ivan")


def test_profile_keeps_own_username_and_rejects_a_taken_one(web_client, user, other_user):
    other_user.username = "taken"
    other_user.save()
    user.username = "mine"
    user.save()
    response = web_client.post(reverse("accounts:profile"), {"name": "Me", "username": "mine"})
    assert response.status_code == 302

    response = web_client.post(reverse("accounts:profile"), {"name": "New", "username": "TAKEN"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "This username is taken." in html
    assert 'value="New"' in html  # what was typed stays
    user.refresh_from_db()
    assert (user.name, user.username) == ("Me", "mine")


def test_avatar_upload_and_remove(web_client, user):
    response = web_client.post(reverse("accounts:avatar"), {"avatar": image_file()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.endswith(".png")
    assert f'src="{user.avatar.url}"' in web_client.get(reverse("dashboard")).content.decode()

    web_client.post(reverse("accounts:avatar"), {"remove": "1"})
    user.refresh_from_db()
    assert not user.avatar


def stored_files(root):
    return sorted(path.name for path in root.rglob("*") if path.is_file())


def test_a_replaced_or_removed_avatar_leaves_no_file_behind(
    web_client, user, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        web_client.post(reverse("accounts:avatar"), {"avatar": image_file("first.png")})
    with django_capture_on_commit_callbacks(execute=True):
        web_client.post(reverse("accounts:avatar"), {"avatar": image_file("second.png")})
    user.refresh_from_db()
    assert stored_files(tmp_path) == [os.path.basename(user.avatar.name)]

    with django_capture_on_commit_callbacks(execute=True):
        web_client.post(reverse("accounts:avatar"), {"remove": "1"})

    assert stored_files(tmp_path) == []


def test_deleting_the_account_deletes_its_avatar(
    web_client, user, password, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        web_client.post(reverse("accounts:avatar"), {"avatar": image_file()})
    assert stored_files(tmp_path)

    with django_capture_on_commit_callbacks(execute=True):
        web_client.post(reverse("accounts:delete"), {"confirmation": password})

    user.refresh_from_db()
    assert user.is_deleted
    assert not user.avatar
    assert stored_files(tmp_path) == []


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("me.png", b"not an image"), "Upload a valid image"),
        (lambda: image_file("me.png", image_format="BMP"), "Upload a JPEG, PNG, WebP or GIF"),
        (lambda: image_file("me.svg"), "File extension “svg” is not allowed"),
    ],
)
def test_avatar_upload_rejects_big_or_wrong_files(web_client, user, upload, message):
    response = web_client.post(reverse("accounts:avatar"), {"avatar": upload()})
    assert response.status_code == 422
    assert message in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar


def test_preferences_update_sets_the_theme(web_client, user):
    response = web_client.post(
        reverse("accounts:preferences"),
        {"timezone": "Europe/Kyiv", "week_start": 6, "language": "uk", "theme": "dark"},
    )
    assert response.status_code == 302
    user_settings = UserSettings.objects.get(user=user)
    assert (user_settings.timezone, user_settings.week_start, user_settings.theme) == (
        "Europe/Kyiv",
        6,
        "dark",
    )
    assert not user_settings.email_notifications  # an unticked box is off
    assert 'data-theme="dark"' in web_client.get(reverse("dashboard")).content.decode()


def test_preferences_reject_an_unknown_time_zone(web_client, user):
    response = web_client.post(
        reverse("accounts:preferences"),
        {"timezone": "Mars/Olympus", "week_start": 0, "language": "en", "theme": "light"},
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert UserSettings.objects.get(user=user).timezone == "UTC"


def test_the_theme_defaults_to_the_system(web_client):
    assert 'data-theme="system"' in web_client.get(reverse("dashboard")).content.decode()


def test_delete_account_needs_the_password(web_client, user, password):
    url = reverse("accounts:delete")
    assert "Your password" in web_client.get(url).content.decode()
    response = web_client.post(url, {"confirmation": "wrong"})
    assert response.status_code == 422
    assert "That is not your password." in response.content.decode()
    user.refresh_from_db()
    assert not user.is_deleted

    response = web_client.post(url, {"confirmation": password})
    assert response.url == reverse("landing")
    user.refresh_from_db()
    assert user.is_deleted
    assert not user.is_active
    assert web_client.get(reverse("dashboard")).status_code == 302  # signed out


def test_delete_account_without_a_password_asks_for_the_email(client):
    user = UserFactory(password=None)
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    url = reverse("accounts:delete")
    response = client.post(url, {"confirmation": "someone@else.com"})
    assert response.status_code == 422
    response = client.post(url, {"confirmation": user.email.upper()})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_deleted


def test_password_change_ends_the_other_sessions_and_tokens(user, password):
    refresh = RefreshToken.for_user(user)  # a phone app signed in through the API
    here, elsewhere = Client(), Client()
    here.force_login(user)
    elsewhere.force_login(user)
    assert elsewhere.get(reverse("dashboard")).status_code == 200  # a tracked session

    response = here.post(
        reverse("account_change_password"),
        {
            "oldpassword": password,
            "password1": "a new long passphrase",
            "password2": "a new long passphrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a new long passphrase")
    assert here.get(reverse("dashboard")).status_code == 200
    assert elsewhere.get(reverse("dashboard")).status_code == 302
    assert BlacklistedToken.objects.filter(token__jti=refresh["jti"]).exists()


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_reset_password"],
)
def test_allauth_entrance_pages_use_the_site_layout(client, name):
    html = client.get(reverse(name)).content.decode()
    assert 'class="skip-link"' in html
    assert "css/app.css" in html
    assert 'class="card auth-card"' in html


@pytest.mark.parametrize(
    "name",
    [
        "account_change_password",
        "account_email",
        "mfa_index",
        "usersessions_list",
        "socialaccount_connections",
    ],
)
def test_allauth_manage_pages_use_the_site_layout(web_client, name):
    response = web_client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="card auth-card auth-card--wide"' in html
    assert "Back to settings" in html


def test_login_errors_show_in_the_form(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "not the password"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist" in html
    assert f'value="{user.email}"' in html


def test_sign_up_through_the_web_form(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "New.Person@example.com",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    # Signed out, on "check your inbox", as a taken address would be (test_signup_enumeration).
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email__iexact="new.person@example.com")
    assert UserSettings.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session


def test_sign_up_errors_keep_the_email(client, user):
    response = client.post(
        reverse("account_signup"),
        {"email": "someone@example.com", "password1": "short", "password2": "other"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="someone@example.com"' in html
    assert "errorlist" in html


@pytest.mark.parametrize("name", ["mfa_activate_totp", "account_reauthenticate", "account_logout"])
def test_allauth_security_steps_use_the_site_layout(web_client, name):
    # Activating two-factor first asks for the password again; that page is ours too.
    response = web_client.get(reverse(name), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="skip-link"' in html
    assert "auth-card" in html
