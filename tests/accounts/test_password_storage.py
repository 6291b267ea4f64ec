import bakhmach.settings as project_settings
from accounts.factories import UserFactory


def test_passwords_are_stored_with_argon2(settings, db):
    # The suite hashes with MD5 for speed (tests/conftest.py); put production's hashers back.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS

    user = UserFactory(password="a long and unusual passphrase")

    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("a long and unusual passphrase")
