"""The Django admin for users: lists, search, filters, adding, editing, soft deletion."""

import pytest
from allauth.account.models import EmailAddress

from accounts.factories import UserFactory
from accounts.models import User, UserSettings
from accounts.services import delete_account

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/user/"


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser(email="admin@example.com", password="x"))
    return client


def listed_emails(response):
    return {user.email for user in response.context["cl"].result_list}


def test_the_list_searches_email_username_and_name(admin_client):
    UserFactory(email="ann@example.com", username="annie", name="Ann Lee")
    UserFactory(email="bob@example.com", name="Bob Stone")

    by_email = admin_client.get(CHANGELIST, {"q": "ann@"})
    by_username = admin_client.get(CHANGELIST, {"q": "annie"})
    by_name = admin_client.get(CHANGELIST, {"q": "stone"})

    assert listed_emails(by_email) == {"ann@example.com"}
    assert listed_emails(by_username) == {"ann@example.com"}
    assert listed_emails(by_name) == {"bob@example.com"}


def test_the_list_filters_deleted_active_and_staff_accounts(admin_client):
    kept = UserFactory(email="kept@example.com")
    gone = UserFactory(email="gone@example.com")
    delete_account(user=gone)

    deleted = admin_client.get(CHANGELIST, {"deleted": "yes"})
    not_deleted = admin_client.get(CHANGELIST, {"deleted": "no"})
    inactive = admin_client.get(CHANGELIST, {"is_active__exact": "0"})
    staff = admin_client.get(CHANGELIST, {"is_staff__exact": "1"})
    recent = admin_client.get(CHANGELIST, {"created_at__gte": "2000-01-01 00:00:00+00:00"})

    assert listed_emails(deleted) == {gone.email}
    assert listed_emails(not_deleted) == {kept.email, "admin@example.com"}
    assert listed_emails(inactive) == {gone.email}
    assert listed_emails(staff) == {"admin@example.com"}
    assert recent.status_code == 200
    assert len(listed_emails(recent)) == 3


def test_adding_a_user_sets_up_the_account(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "added@example.com",
            "username": "",
            "usable_password": "true",
            "password1": "violet-otter-harbour-91",
            "password2": "violet-otter-harbour-91",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="added@example.com")
    assert user.check_password("violet-otter-harbour-91")
    assert UserSettings.objects.filter(user=user).exists()
    assert EmailAddress.objects.filter(user=user, primary=True).exists()


def test_adding_an_email_taken_in_another_case_is_a_form_error(admin_client, user):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": user.email.upper(),
            "usable_password": "true",
            "password1": "violet-otter-harbour-91",
            "password2": "violet-otter-harbour-91",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert User.objects.filter(email__iexact=user.email).count() == 1


def test_the_change_page_edits_settings_inline_with_timestamps_read_only(admin_client, user):
    response = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "created_at" not in form.fields
    assert "updated_at" not in form.fields
    assert "email" in form.fields
    inline_models = [formset.formset.model for formset in response.context["inline_admin_formsets"]]
    assert inline_models == [UserSettings]


def test_changing_the_email_updates_allauths_address(admin_client, user):
    user.emailaddress_set.create(email=user.email, primary=True, verified=True)
    page = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")
    data = {"email": "renamed@example.com", "name": user.name, "is_active": "on"}
    data.update(inline_data_of(page))

    response = admin_client.post(f"/admin/accounts/user/{user.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(user.emailaddress_set.values_list("email", "verified")) == [
        ("renamed@example.com", False)
    ]


def inline_data_of(page):
    """The inline formsets' fields as the change page rendered them."""
    data = {}
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for form in [formset.management_form, *formset.forms]:
            for name in form.fields:
                value = form[name].value()
                if value is not None:
                    data[form.add_prefix(name)] = value
    return data


def test_the_soft_delete_action(admin_client, user, other_user):
    response = admin_client.post(
        CHANGELIST, {"action": "soft_delete", "_selected_action": [str(user.pk)]}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    other_user.refresh_from_db()
    assert user.is_deleted
    assert not user.is_active
    assert not other_user.is_deleted
