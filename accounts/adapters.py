"""allauth's hooks into our code: account set-up, password changes ending sessions, and
encrypted two-factor secrets."""

from dataclasses import dataclass
from urllib.parse import urlsplit

import qrcode
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from qrcode.image.svg import SvgPathFillImage

from . import encryption, services
from .throttles import LoginFailureThrottle


@dataclass(frozen=True)
class Site:
    """The site as allauth's emails name it: SITE_NAME at the host of SITE_URL.

    Without django.contrib.sites allauth would take both from the request's host header
    ("Thank you for using 127.0.0.1:8300!"), which a client chooses.
    """

    name: str
    domain: str

    @classmethod
    def current(cls) -> "Site":
        return cls(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        super().send_mail(template_prefix, email, {"current_site": Site.current(), **context})

    def is_safe_url(self, url):
        # allauth accepts `http://` to our own host even when the request came over https:
        # a `?next=` that would downgrade the connection (and expose the session) is refused.
        return super().is_safe_url(url) and url_has_allowed_host_and_scheme(
            url, allowed_hosts={urlsplit(url).netloc}, require_https=self.request.is_secure()
        )

    # Failed web logins count into the API's per-account counter (LoginFailureThrottle): one
    # counter for both, with its soft lock (the owner's known addresses still get through).
    def pre_authenticate(self, request, **credentials):
        failures = LoginFailureThrottle(credentials.get("email", ""))
        if failures.is_known(request):
            # The owner's own address: neither allauth's per-account limit nor ours locks it
            # out (a guesser elsewhere cannot); its wrong passwords still count.
            return
        super().pre_authenticate(request, **credentials)
        if not failures.allow_request(request, None):
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
            # allauth records the email address itself, right after this. The sign-up form
            # carries the browser's time zone (None when the browser gave none we know); the
            # new account keeps the language its owner signed up in (browser's or switcher's).
            services.set_up_settings(
                user=user,
                timezone=form.cleaned_data.get("timezone"),
                language=translation.get_language(),
            )
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
    def build_totp_svg(self, url):
        # Dark modules on a white square with the standard four-module quiet zone, drawn into
        # the image itself: scanners need the light margin, whatever the page's theme is.
        image = qrcode.make(url, image_factory=SvgPathFillImage, border=4)
        return image.to_string(encoding="unicode")

    # allauth stores TOTP and recovery-code seeds through these; by default in clear text.
    def encrypt(self, text):
        return encryption.encrypt(text)

    def decrypt(self, encrypted_text):
        return encryption.decrypt(encrypted_text)
