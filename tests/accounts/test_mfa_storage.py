"""Two-factor secrets are stored encrypted, and keys can be rotated."""

import pytest
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken

from .twofactor import enable_totp, recovery_codes

pytestmark = pytest.mark.django_db


def test_the_totp_secret_and_recovery_seed_are_not_stored_in_clear(user):
    phone = enable_totp(user)

    totp = Authenticator.objects.get(user=user, type="totp")
    seeds = Authenticator.objects.get(user=user, type="recovery_codes")
    assert phone.secret not in str(totp.data)
    assert totp.data["secret"].startswith("gAAAA")  # a Fernet token
    assert seeds.data["seed"].startswith("gAAAA")
    assert totp.wrap().validate_code(phone.code())


def test_a_new_key_can_be_rotated_in(user, settings):
    old_key, new_key = Fernet.generate_key(), Fernet.generate_key()
    settings.ENCRYPTION_KEYS = [old_key]
    phone = enable_totp(user)
    codes = recovery_codes(user)

    settings.ENCRYPTION_KEYS = [new_key, old_key]

    assert Authenticator.objects.get(user=user, type="totp").wrap().validate_code(phone.code())
    assert recovery_codes(user) == codes


def test_without_the_key_the_secrets_are_unreadable(user, settings):
    settings.ENCRYPTION_KEYS = [Fernet.generate_key()]
    phone = enable_totp(user)

    settings.ENCRYPTION_KEYS = [Fernet.generate_key()]

    with pytest.raises(InvalidToken):
        Authenticator.objects.get(user=user, type="totp").wrap().validate_code(phone.code())
