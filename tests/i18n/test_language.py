# ruff: noqa: RUF001
"""Which language a page is in: the signed-in user's setting, else the cookie, else the browser."""

import pytest
from django.urls import reverse

from accounts.models import User, UserSettings
from accounts.services import settings_for, update_settings

pytestmark = pytest.mark.django_db

UKRAINIAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "uk-UA,uk;q=0.9,en;q=0.5"}
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}


def _language(user, code):
    update_settings(user_settings=settings_for(user), language=code)


def test_anonymous_visitor_gets_the_browsers_language(client):
    response = client.get(reverse("landing"), **UKRAINIAN_BROWSER)
    html = response.content.decode()
    assert '<html lang="uk"' in html
    assert "Почати безкоштовно" in html
    assert response["Content-Language"] == "uk"


def test_anonymous_visitor_with_an_english_browser_gets_english(client):
    html = client.get(reverse("landing"), **ENGLISH_BROWSER).content.decode()
    assert '<html lang="en"' in html
    assert "Start for free" in html


def test_the_users_setting_beats_the_browser(web_client, user):
    _language(user, "uk")
    html = web_client.get(reverse("accounts:settings"), **ENGLISH_BROWSER).content.decode()
    assert '<html lang="uk"' in html
    assert "Налаштування" in html

    _language(user, "en")
    html = web_client.get(reverse("accounts:settings"), **UKRAINIAN_BROWSER).content.decode()
    assert '<html lang="en"' in html
    assert "Налаштування" not in html


def test_the_users_setting_beats_the_language_cookie(web_client, user):
    _language(user, "uk")
    web_client.cookies["language"] = "en"
    html = web_client.get(reverse("dashboard")).content.decode()
    assert '<html lang="uk"' in html


def test_the_switcher_sets_the_cookie_for_a_visitor(client):
    response = client.post(
        reverse("accounts:language"), {"language": "uk", "next": reverse("account_login")}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_login")
    assert response.cookies["language"].value == "uk"
    # Next page: Ukrainian although the browser asks for English.
    html = client.get(reverse("landing"), **ENGLISH_BROWSER).content.decode()
    assert '<html lang="uk"' in html


def test_the_switcher_saves_a_signed_in_users_setting(web_client, user):
    response = web_client.post(reverse("accounts:language"), {"language": "uk"})
    assert response.url == reverse("landing")
    assert UserSettings.objects.get(user=user).language == "uk"


def test_the_switcher_refuses_an_unknown_language_and_a_foreign_next(client):
    assert client.post(reverse("accounts:language"), {"language": "xx"}).status_code == 400
    response = client.post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.url == reverse("landing")


def test_the_switcher_is_on_public_pages(client):
    for name in ("landing", "account_login", "account_signup"):
        html = client.get(reverse(name)).content.decode()
        assert f'action="{reverse("accounts:language")}"' in html, name
        assert 'value="uk" lang="uk"' in html, name
        assert ">English<" in html, name
        assert ">Українська<" in html, name


def test_saving_the_setting_switches_at_once(web_client, user):
    response = web_client.post(
        reverse("accounts:preferences"),
        {"timezone": "Europe/Kyiv", "week_start": 0, "language": "uk", "theme": "system"},
        follow=True,
    )
    html = response.content.decode()
    assert '<html lang="uk"' in html
    assert "Уподобання збережено." in html  # the notice, in the language just chosen
    assert response.redirect_chain[-1][0] == reverse("accounts:settings")
    assert web_client.cookies["language"].value == "uk"


def test_a_new_account_keeps_the_language_it_signed_up_in(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "olena@example.com",
            "password1": "a long Passphrase 42",
            "password2": "a long Passphrase 42",
        },
        **UKRAINIAN_BROWSER,
    )
    user = User.objects.get(email="olena@example.com")
    assert UserSettings.objects.get(user=user).language == "uk"


def test_api_errors_follow_accept_language(client):
    response = client.get("/api/pdps", **UKRAINIAN_BROWSER)
    assert response.status_code == 401
    assert response.json()["detail"] == "Реквізити перевірки достовірності не надані."  # DRF's
    response = client.get("/api/no-such-thing", **UKRAINIAN_BROWSER)
    assert response.json() == {"detail": "Не знайдено."}
