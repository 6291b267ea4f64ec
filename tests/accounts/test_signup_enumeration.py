"""Sign-up tells nobody which addresses have accounts (issue 17, #8): on the web form a taken
address gets the same answer as a new one, and its owner an email. (The API keeps the
contract's 400 for a taken address, ../shared/contract/API.md; it is throttled per address.)"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "violet-otter-harbour-91"
ALREADY_EXISTS = "Account already exists"


def web_signup(client, email):
    body = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("account_signup"), body)


def same_page(response, email):
    """The page without what differs by nature: the address and the CSRF token."""
    html = response.content.decode().replace(email, "ADDRESS")
    return re.sub(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_web_form_answers_a_taken_address_as_it_answers_a_new_one(user, mailoutbox):
    taken_client, new_client = Client(), Client()

    taken = web_signup(taken_client, user.email)
    new = web_signup(new_client, "newcomer@example.com")

    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in taken_client.session
    assert "_auth_user_id" not in new_client.session
    taken_page, new_page = (
        same_page(client.get(taken["Location"]), email)
        for client, email in ((taken_client, user.email), (new_client, "newcomer@example.com"))
    )
    assert taken_page == new_page
    owner_mail, newcomer_mail = mailoutbox
    assert owner_mail.to == [user.email]
    assert ALREADY_EXISTS in owner_mail.subject
    assert newcomer_mail.to == ["newcomer@example.com"]
    assert User.objects.filter(email__iexact=user.email).count() == 1


def test_the_link_in_the_newcomers_email_signs_the_new_account_in(mailoutbox):
    client = Client()
    web_signup(client, "newcomer@example.com")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mailoutbox[0].body)

    client.get(link.group(1))
    response = client.post(link.group(1))

    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.com")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.emailaddress_set.get().verified


def test_a_form_with_errors_still_shows_them(client, user):
    response = client.post(
        reverse("account_signup"),
        {"email": user.email, "password1": PASSWORD, "password2": "something else"},
    )

    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()
    assert "already" not in response.content.decode()
