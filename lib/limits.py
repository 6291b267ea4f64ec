"""Size limits of what a user writes: the length of a text, the size of a JSON value, and how
many objects of a kind one user may hold. The numbers are settings (bakhmach.settings, "Size
limits"); generous for a person or a family, they bound what one account can make the server
store and answer.

Text and JSON limits are validators on the model fields (forms and serializers pick them up
from there); object limits are checked by each app's create service (`check_room`).
"""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def validate_text_size(value: str) -> None:
    """A long text (a description, a note) holds at most MAX_TEXT_LENGTH characters."""
    limit = settings.MAX_TEXT_LENGTH
    if value is not None and len(value) > limit:
        raise ValidationError(
            ngettext(
                "Keep this under %(limit)d character (it has %(length)d).",
                "Keep this under %(limit)d characters (it has %(length)d).",
                limit,
            )
            % {"limit": limit, "length": len(value)},
            code="text_too_long",
        )


def json_size(value) -> int:
    """The bytes of `value` as compact JSON, as it is stored and answered."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def validate_json_size(value) -> None:
    """A JSON field's value is at most MAX_JSON_BYTES as compact JSON."""
    limit = settings.MAX_JSON_BYTES
    size = json_size(value)
    if size > limit:
        raise ValidationError(
            _("This data is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="json_too_big",
        )


def check_room(owned: QuerySet, *, limit: int, message: str, adding: int = 1) -> None:
    """ValidationError (a 400 on the API, a form error on a page) when `adding` more objects
    would take the user's `owned` ones over `limit`. One COUNT query.

    Two concurrent creations may both pass at `limit - 1`; a limit this generous can take it.
    """
    if owned.count() + adding > limit:
        raise ValidationError(message % {"limit": limit}, code="limit_reached")
