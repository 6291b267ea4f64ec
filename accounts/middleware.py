from django.utils import timezone

from .services import settings_for


class UserTimezoneMiddleware:
    """Render dates in the signed-in user's own time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            request.user_settings = settings_for(request.user)
            timezone.activate(request.user_settings.tzinfo)
        else:
            request.user_settings = None
            timezone.deactivate()
        return self.get_response(request)
