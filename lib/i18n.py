"""The language a message to a user is written in, outside a request (Celery, commands).

A page is in the language LocaleMiddleware and accounts.middleware.UserLanguageMiddleware
chose; a reminder or report email sent from a worker has no request, so whatever builds its
text does it inside `in_language_of(user)`: the recipient's setting, else the site's default.
This module imports no app: it reads `user.settings.language` if the user has settings.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


def language_of(user) -> str:
    """The user's language setting, or the site's default language."""
    language = getattr(getattr(user, "settings", None), "language", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user) -> Iterator[None]:
    """Translate (gettext, formats, dates) in `user`'s language for the block."""
    with translation.override(language_of(user)):
        yield
