import time

from allauth.account.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from lib.user_version import cached_copy

from .services import settings_for

API_PREFIX = "/api/"
USER_AGENT_LENGTH = UserSession._meta.get_field("user_agent").max_length


class SessionUserMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, with the session's user and their settings read from
    the cache under the user's version token (`lib.user_version`): one Redis round trip instead
    of two queries and the connection's checkout on every signed-in page.

    A copy is used only where `auth.get_user` would accept the same user: the session's backend
    is still configured, the user is active, and the session's hash equals the user's current
    one. `User.save`/`delete` and `UserSettings.save` replace the token, so a deactivation, a new
    password or a changed setting is seen by the next request. Everything else (no session, a
    hash of a fallback secret, a flushed session) goes through `auth.get_user` itself.
    """

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: self._user(request))

    @staticmethod
    def _user(request):
        try:
            user_id = request.session[auth.SESSION_KEY]
            backend = request.session[auth.BACKEND_SESSION_KEY]
        except KeyError:
            return auth.get_user(request)
        session_hash = request.session.get(auth.HASH_SESSION_KEY) or ""

        def accept(copy) -> bool:
            user = copy[0]
            return (
                str(user.pk) == str(user_id)
                and backend in settings.AUTHENTICATION_BACKENDS
                and user.is_active
                and constant_time_compare(session_hash, user.get_session_auth_hash())
            )

        def load():
            user = auth.get_user(request)  # may refuse, and flush, the session
            return (user, settings_for(user)) if user.is_authenticated else None

        copy = cached_copy(user_id, "session-user", accept=accept, load=load)
        if copy is None:
            return AnonymousUser()
        user, request.cached_user_settings = copy
        return user


class UserTimezoneMiddleware:
    """Render the HTML pages in the signed-in user's own time zone.

    The API is left alone: its contract gives timestamps in UTC, and the user it serves is the
    one DRF authenticates later (a JWT may name another user than the session cookie), so API
    code loads that user's settings itself and `request.user_settings` is not set there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            timezone.deactivate()
        elif request.user.is_authenticated:
            cached = getattr(request, "cached_user_settings", None)  # SessionUserMiddleware's
            request.user_settings = cached or settings_for(request.user)
            timezone.activate(request.user_settings.tzinfo)
        else:
            request.user_settings = None
            timezone.deactivate()
        return self.get_response(request)


class UserLanguageMiddleware:
    """Pages in the signed-in user's language setting, whatever the browser asks for.

    LocaleMiddleware (earlier, before the user is known) has picked the language from the
    `language` cookie or Accept-Language; for a signed-in user their setting overrides it here.
    The API keeps LocaleMiddleware's choice: its client says what it reads in Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user_settings = getattr(request, "user_settings", None)
        if user_settings is not None:
            translation.activate(user_settings.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


# What the session remembers of its last activity record: (session key, when, address, agent).
ACTIVITY_KEY = "_usersession_activity"


class UserSessionActivityMiddleware:
    """allauth's session activity record (`USERSESSIONS_TRACK_ACTIVITY`), written at most once
    every `USERSESSIONS_ACTIVITY_INTERVAL` seconds per session instead of on every request.

    allauth's own middleware writes the UserSession row in a transaction on each signed-in
    request (four round trips and a commit). The sessions page only needs a "last seen" to
    the minute, so the session keeps what was last recorded: a new session, a changed address
    or browser (allauth's `session_client_changed` signal) and an older record write at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.USERSESSIONS_TRACK_ACTIVITY
            and request.session.session_key
            and request.user.is_authenticated
        ):
            self._record(request)
        return self.get_response(request)

    def _record(self, request):
        now = time.time()
        client = [
            request.session.session_key,
            get_adapter().get_client_ip(request),
            request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
        ]
        recorded = request.session.get(ACTIVITY_KEY)
        if (
            recorded
            and recorded[1:] == client
            and now - recorded[0] < settings.USERSESSIONS_ACTIVITY_INTERVAL
        ):
            return
        UserSession.objects.create_from_request(request)
        request.session[ACTIVITY_KEY] = [now, *client]
