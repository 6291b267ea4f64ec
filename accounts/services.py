from django.db import transaction

from .models import User, UserSettings


def settings_for(user: User) -> UserSettings:
    """The user's settings record, created with defaults on first use."""
    user_settings, _ = UserSettings.objects.get_or_create(user=user)
    return user_settings


@transaction.atomic
def create_user(*, email: str, password: str | None, username: str | None = None) -> User:
    return User.objects.create_user(email=email, password=password, username=username or None)
