"""Reads on accounts."""

import uuid

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from .models import User, UserSettings
from .timezones import canonical_timezone


def get_account_or_404(user: User | AnonymousUser, pk) -> User:
    """The signed-in user's own account when `pk` names it; any other id (or garbage) is 404."""
    try:
        wanted = uuid.UUID(str(pk))
    except ValueError as exc:
        raise Http404("No such user.") from exc
    if not isinstance(user, User) or wanted != user.pk:
        raise Http404("No such user.")
    return user


def is_github_connected(user: User) -> bool:
    return SocialAccount.objects.filter(user=user, provider="github").exists()


def has_unverified_email(user: User) -> bool:
    """An address of the user not verified yet: allauth refuses two-factor set-up until none is."""
    return EmailAddress.objects.filter(user=user, verified=False).exists()


def timezone_offer(
    *, user_settings: UserSettings, browser_zone: str | None, dismissed: str | None
) -> str | None:
    """The zone to offer switching to: the browser's, when known, not saved and not declined."""
    zone = canonical_timezone(browser_zone)
    if zone is None or zone == user_settings.timezone or zone == dismissed:
        return None
    return zone
