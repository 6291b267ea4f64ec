# ruff: noqa: RUF001
"""First-run wording: the site's name in emails, two-factor's precondition said up front, one
word for signing in, one "Accounts" in the admin, the API docs linked from the app."""

import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from accounts.models import User

PASSPHRASE = "a long enough passphrase"


@pytest.mark.django_db
def test_the_confirmation_email_names_the_site_not_the_request_host(client, mailoutbox, settings):
    settings.SITE_URL = "https://hub.example.com"
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": PASSPHRASE, "password2": PASSPHRASE},
        HTTP_HOST="127.0.0.1",
    )
    assert response.status_code == 302
    [message] = mailoutbox
    assert message.subject.startswith("[Bakhmach Business Hub] ")
    assert "Hello from Bakhmach Business Hub!" in message.body
    assert "Thank you for using Bakhmach Business Hub!" in message.body
    assert "hub.example.com" in message.body
    assert "127.0.0.1!" not in message.body
    assert "[127.0.0.1]" not in message.subject


def test_settings_say_two_factor_needs_a_verified_email_first(web_client, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    html = web_client.get(reverse("accounts:settings")).content.decode()
    assert "Needs a verified email address" in html
    assert f'<a href="{reverse("account_email")}">verify yours</a> first' in html
    page = web_client.get(reverse("mfa_index")).content.decode()
    assert "can be turned on once your email address is verified" in page
    assert f'<a href="{reverse("account_email")}">Verify your email address</a>' in page


def test_with_the_email_verified_the_two_factor_page_says_nothing_of_it(web_client, user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    assert (
        "once your email address is verified"
        not in web_client.get(reverse("mfa_index")).content.decode()
    )


def test_one_word_for_signing_in(web_client):
    anonymous = Client().get(reverse("landing")).content.decode()
    signed_in = web_client.get(reverse("dashboard")).content.decode()
    for html in (anonymous, signed_in):
        assert not re.search(r"\bLog (in|out)\b", html, re.IGNORECASE)
    assert ">Sign in</a>" in anonymous
    assert ">Sign out</button>" in signed_in


@pytest.mark.django_db
def test_the_admin_has_one_accounts_section(client):
    client.force_login(User.objects.create_superuser(email="admin@example.com", password="x"))
    html = client.get(reverse("admin:index")).content.decode()
    captions = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', html)
    assert captions, "no app sections found"
    assert len(captions) == len(set(captions)), captions
    assert "Users and settings" in captions


def test_the_api_docs_are_linked_from_the_app(web_client):
    docs = reverse("api-docs")
    assert f'href="{docs}"' in web_client.get(reverse("dashboard")).content.decode()
    assert f'href="{docs}"' in web_client.get(reverse("accounts:settings")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "uk"])
def test_allauths_pages_say_it_in_sentence_case_like_the_app(client, language):
    """allauth titles its pages "Sign In", "Forgot Password?" ("Запам'ятати Мене" in Ukrainian);
    the app writes "Sign in" (bakhmach/allauth_wording)."""
    client.cookies["language"] = language
    title_case = re.compile(r"\b[A-ZА-ЯІЇЄҐ][a-zа-яіїєґ']+ [A-ZА-ЯІЇЄҐ][a-zа-яіїєґ']+")
    for name in ("account_login", "account_signup", "account_reset_password"):
        html = client.get(reverse(name)).content.decode()
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        text = re.sub(r"<[^>]+>", " ", main)
        found = [words for words in title_case.findall(text) if "Bakhmach" not in words]
        assert found == [], f"{name} in {language}: {found}"
    words = {"en": ("Sign in", "Remember me"), "uk": ("Увійти", "Запам'ятати мене")}[language]
    html = unescape(client.get(reverse("account_login")).content.decode())
    for text in words:
        assert text in html
