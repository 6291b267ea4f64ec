"""Account services that the web pages share with the API: password change, deletion."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models.signals import pre_save
from django.test import Client
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts import services
from accounts.factories import UserFactory
from accounts.models import User

pytestmark = pytest.mark.django_db


def signed_in_browser(user):
    browser = Client()
    browser.force_login(user)
    # allauth records the session on the first request it sees signed in.
    browser.get("/healthz")
    return browser


def is_signed_in(browser):
    return browser.get("/api/auth/me").status_code == 200


def test_change_password_revokes_all_tokens_and_ends_the_other_sessions(user, other_user):
    for _ in range(3):
        services.issue_tokens(user)
    others_token = services.issue_tokens(other_user)
    this_browser, other_browser = signed_in_browser(user), signed_in_browser(user)
    strangers_browser = signed_in_browser(other_user)

    services.change_password(
        user=user,
        new_password="violet-otter-harbour-91",
        keep_session_key=this_browser.session.session_key,
    )

    assert not OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).exists()
    assert not other_browser.session.exists(other_browser.session.session_key)
    assert UserSession.objects.filter(user=user).count() == 1
    assert is_signed_in(strangers_browser)
    services.rotate_refresh_token(raw_refresh=others_token["refresh"])
    user.refresh_from_db()
    assert user.check_password("violet-otter-harbour-91")


def test_delete_account_ends_every_session(user):
    browser = signed_in_browser(user)
    assert is_signed_in(browser)

    services.delete_account(user=user)

    assert not is_signed_in(browser)
    assert not UserSession.objects.filter(user=user).exists()
    assert not OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).exists()


def test_set_up_account_keeps_an_address_allauth_already_recorded():
    user = UserFactory(email="Mixed.Case@example.com")
    user.emailaddress_set.create(email="mixed.case@example.com", primary=True, verified=True)

    services.set_up_account(user=user)

    assert list(user.emailaddress_set.values_list("email", "verified")) == [
        ("mixed.case@example.com", True)
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_refresh_token_used_twice_at_once_rotates_only_once(user):
    raw_refresh = services.issue_tokens(user)["refresh"]
    start = threading.Barrier(2)

    def use_token(_):
        start.wait()
        try:
            return services.rotate_refresh_token(raw_refresh=raw_refresh)
        except TokenError:
            return None
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(use_token, range(2)))

    assert sum(outcome is not None for outcome in outcomes) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("field", ["email", "username"])
def test_an_address_or_name_taken_between_the_check_and_the_save_is_a_field_error(
    user, other_user, password, field
):
    wanted = {"email": "wanted@example.com", "username": "wanted"}[field]

    def taken_by_another_request(sender, instance, **kwargs):
        # Another request, on its own connection, commits the same value just before our save.
        def take():
            try:
                User.objects.filter(pk=other_user.pk).update(**{field: wanted})
            finally:
                connection.close()

        worker = threading.Thread(target=take)
        worker.start()
        worker.join()

    pre_save.connect(taken_by_another_request, sender=User, dispatch_uid="race")
    try:
        with pytest.raises(ValidationError) as error:
            services.update_account(user=user, password=password, **{field: wanted})
    finally:
        pre_save.disconnect(sender=User, dispatch_uid="race")

    assert list(error.value.message_dict) == [field]
    user.refresh_from_db()
    assert getattr(user, field) != wanted
