from django.utils import timezone, translation

from .services import settings_for

API_PREFIX = "/api/"


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
            request.user_settings = settings_for(request.user)
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
