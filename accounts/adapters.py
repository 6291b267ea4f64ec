"""allauth's hooks into our code: account set-up, password changes ending sessions, and
encrypted two-factor secrets."""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from . import encryption, services
from .throttles import LoginFailureThrottle


class AccountAdapter(DefaultAccountAdapter):
    def is_safe_url(self, url):
        # allauth accepts `http://` to our own host even when the request came over https:
        # a `?next=` that would downgrade the connection (and expose the session) is refused.
        return super().is_safe_url(url) and url_has_allowed_host_and_scheme(
            url, allowed_hosts={urlsplit(url).netloc}, require_https=self.request.is_secure()
        )

    # Failed web logins count into the API's per-account counter (LoginFailureThrottle): one
    # counter for both, with its soft lock (the owner's known addresses still get through).
    def pre_authenticate(self, request, **credentials):
        super().pre_authenticate(request, **credentials)
        if not LoginFailureThrottle(credentials.get("email", "")).allow_request(request, None):
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None and "email" in credentials:
            failures = LoginFailureThrottle(credentials["email"])
            failures.reset()
            failures.remember_address(request)
        return user

    def authentication_failed(self, request, **credentials):
        LoginFailureThrottle(credentials.get("email", "")).record_failure()

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            # allauth records the email address itself, right after this. The new account
            # keeps the language its owner signed up in (their browser's, or the switcher's).
            services.settings_for(user, language=translation.get_language())
        return user

    def set_password(self, user, password):
        # allauth's password change, set and reset all come through here. The session making
        # the change (if it is this user's) stays; every other session and token ends.
        session = getattr(self.request, "session", None)
        services.change_password(
            user=user,
            new_password=password,
            keep_session_key=session.session_key if session is not None else None,
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        services.settings_for(user)
        return user


class MFAAdapter(DefaultMFAAdapter):
    # allauth stores TOTP and recovery-code seeds through these; by default in clear text.
    def encrypt(self, text):
        return encryption.encrypt(text)

    def decrypt(self, encrypted_text):
        return encryption.decrypt(encrypted_text)
