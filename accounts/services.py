"""Writes on accounts: sign-up, tokens, email and password changes, soft deletion."""

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import datetime_from_epoch, get_md5_hash_password

from .models import User, UserSettings

EMAIL_TAKEN = _("A user with this email already exists.")
USERNAME_TAKEN = _("This username is taken.")


def settings_for(user: User, *, language: str | None = None) -> UserSettings:
    """The user's settings record, created with defaults on first use (in `language`, when
    given: the one a new user signed up in)."""
    defaults = {"language": language} if language else {}
    user_settings, _ = UserSettings.objects.get_or_create(user=user, defaults=defaults)
    return user_settings


@transaction.atomic
def set_up_settings(
    *, user: User, timezone: str | None = None, language: str | None = None
) -> UserSettings:
    """A new account's settings, in the time zone its browser reported when that is known,
    and in the language it signed up in."""
    user_settings = settings_for(user, language=language)
    if timezone and timezone != user_settings.timezone:
        update_settings(user_settings=user_settings, timezone=timezone)
    return user_settings


def _check_available(*, user: User | None, email: str | None = None, username: str | None = None):
    """Field errors for an email or username another account holds, in any letter case."""
    others = User.objects.exclude(pk=user.pk) if user else User.objects.all()
    errors = {}
    if email and others.filter(email__iexact=email).exists():
        errors["email"] = EMAIL_TAKEN
    if username and others.filter(username__iexact=username).exists():
        errors["username"] = USERNAME_TAKEN
    if errors:
        raise ValidationError(errors)


def set_up_account(*, user: User) -> None:
    """What every new account needs beside its row: settings and allauth's email record."""
    settings_for(user)
    if not EmailAddress.objects.filter(user=user).exists():
        # allauth keeps addresses in lower case.
        EmailAddress.objects.create(
            user=user, email=user.email.lower(), primary=True, verified=False
        )


@transaction.atomic
def create_user(*, email: str, password: str | None, username: str | None = None) -> User:
    _check_available(user=None, email=email, username=username)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, username=username or None
            )
    except IntegrityError:
        # A concurrent sign-up took the email or username between the check and the insert.
        _check_available(user=None, email=email, username=username)
        raise
    set_up_account(user=user)
    return user


def authenticate_with_password(*, email: str, password: str) -> User | None:
    """The active account with this email and password, or None whatever the reason."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        # Hash anyway so that an unknown email takes as long as a wrong password.
        User().set_password(password)
        return None
    if not user.check_password(password) or not user.is_active or user.is_deleted:
        return None
    return user


def issue_tokens(user: User) -> dict:
    """A fresh refresh/access pair for a user who has just proven who they are."""
    refresh = RefreshToken.for_user(user)
    if jwt_settings.UPDATE_LAST_LOGIN:
        user.last_login = timezone.now()
        User.objects.filter(pk=user.pk).update(last_login=user.last_login)
    return {"user": user, "access": str(refresh.access_token), "refresh": str(refresh)}


@transaction.atomic
def rotate_refresh_token(*, raw_refresh: str) -> dict:
    """Trade a refresh token for a new pair; the old one is blacklisted.

    Raises TokenError for an invalid, expired, already used or revoked token, or one whose
    account is gone. The outstanding row is locked, so two concurrent uses of one token cannot
    both succeed.
    """
    refresh = RefreshToken(raw_refresh)  # type: ignore[arg-type]  # its hint omits str
    outstanding = (
        OutstandingToken.objects.select_for_update()
        .filter(jti=refresh[jwt_settings.JTI_CLAIM])
        .first()
    )
    if outstanding is None or BlacklistedToken.objects.filter(token=outstanding).exists():
        raise TokenError("Token is blacklisted")
    user = User.objects.filter(
        pk=refresh.get(jwt_settings.USER_ID_CLAIM), is_active=True, deleted_at__isnull=True
    ).first()
    if user is None:
        raise TokenError("No active account found for the given token.")
    if jwt_settings.CHECK_REVOKE_TOKEN and refresh.get(
        jwt_settings.REVOKE_TOKEN_CLAIM
    ) != get_md5_hash_password(user.password):
        raise TokenError("The user's password has been changed.")
    BlacklistedToken.objects.create(token=outstanding)

    # The new token keeps the old one's claims (such as how the user signed in).
    refresh.set_jti()
    refresh.set_exp()
    refresh.set_iat()
    OutstandingToken.objects.create(
        user=user,
        jti=refresh[jwt_settings.JTI_CLAIM],
        token=str(refresh),
        created_at=refresh.current_time,
        expires_at=datetime_from_epoch(refresh["exp"]),
    )
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def revoke_refresh_token(*, raw_refresh: str) -> None:
    """Log out one client. Raises TokenError when the token is already unusable."""
    RefreshToken(raw_refresh).blacklist()  # type: ignore[arg-type]  # its hint omits str


def purge_expired_tokens() -> None:
    """Drop the rows of expired refresh tokens, which only grow; their blacklist rows go with them.

    An expired token is refused for its expiry alone, so no revocation is lost.
    """
    OutstandingToken.objects.filter(expires_at__lte=timezone.now()).delete()


def revoke_all_refresh_tokens(*, user: User) -> None:
    live = OutstandingToken.objects.filter(
        user=user, expires_at__gt=timezone.now(), blacklistedtoken__isnull=True
    )
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )


def end_sessions(*, user: User, keep_session_key: str | None = None) -> None:
    """End the user's browser sessions, except the one named (the one making the change)."""
    sessions = UserSession.objects.filter(user=user)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    for session in sessions:
        session.end()


@transaction.atomic
def change_password(*, user: User, new_password: str, keep_session_key: str | None = None):
    """Set a new password and sign the user out everywhere else.

    The password's strength is checked by the form or serializer that asks for it. Every refresh
    token is revoked; access tokens carry a hash of the password (CHECK_REVOKE_TOKEN), so they
    stop working at once too.
    """
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    revoke_all_refresh_tokens(user=user)
    end_sessions(user=user, keep_session_key=keep_session_key)


@transaction.atomic
def update_account(
    *, user: User, email: str | None = None, password: str | None = None, **changes
) -> User:
    """Change the profile; a new email needs the current password."""
    if email is not None:
        email = User.objects.normalize_email(email.strip())
    if email is not None and email != user.email:
        if not password or not user.check_password(password):
            raise ValidationError(
                {"password": _("Enter your current password to change your email.")}
            )
        _check_available(user=user, email=email)
        user.email = email
    if changes.get("username"):
        _check_available(user=user, username=changes["username"])
    old_avatar = user.avatar.name
    for field, value in changes.items():
        setattr(user, field, value)
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # A concurrent change took the email or username between the check and the update.
        _check_available(user=user, email=user.email, username=user.username)
        raise
    if user.avatar.name != old_avatar:
        _delete_file_on_commit(user.avatar.storage, old_avatar)
    sync_email_address(user=user)
    return user


def _delete_file_on_commit(storage, name: str | None) -> None:
    """Remove a replaced or cleared upload once the change is saved (not if it rolls back)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def sync_email_address(*, user: User) -> None:
    """After an email change: allauth's record becomes the new, not yet verified, address."""
    if not EmailAddress.objects.filter(user=user, email__iexact=user.email).exists():
        # The old address (and its verification) no longer describes this account.
        EmailAddress.objects.filter(user=user).delete()
        EmailAddress.objects.create(
            user=user, email=user.email.lower(), primary=True, verified=False
        )


@transaction.atomic
def update_settings(*, user_settings: UserSettings, **changes) -> UserSettings:
    for field, value in changes.items():
        setattr(user_settings, field, value)
    user_settings.full_clean()
    user_settings.save()
    return user_settings


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Soft-delete: the account can no longer sign in, by password, token or session.

    Its picture goes at once (the file too): nothing shows it any more.
    """
    if user.avatar:
        _delete_file_on_commit(user.avatar.storage, user.avatar.name)
        user.avatar = ""
        user.save(update_fields=["avatar", "updated_at"])
    user.mark_deleted()
    revoke_all_refresh_tokens(user=user)
    end_sessions(user=user)
