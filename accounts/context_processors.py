from urllib.parse import unquote

from .selectors import timezone_offer
from .timezones import BROWSER_TIMEZONE_COOKIE, DISMISSED_TIMEZONE_KEY


def timezone(request):
    """`timezone_offer`: the browser's zone when it differs from the signed-in user's saved one."""
    user_settings = getattr(request, "user_settings", None)
    if user_settings is None:
        return {}
    return {
        "timezone_offer": timezone_offer(
            user_settings=user_settings,
            # The script writes the name URI-encoded ("Asia%2FTokyo"); Django does not decode it.
            browser_zone=unquote(request.COOKIES.get(BROWSER_TIMEZONE_COOKIE, "")),
            dismissed=request.session.get(DISMISSED_TIMEZONE_KEY),
        )
    }
