"""Profile pictures: what an upload may be, and the clean copy of it that is stored.

An upload is decoded only after its header has shown its size to be within
AVATAR_MAX_PIXELS, and re-encoded from its pixels alone: EXIF (GPS included), XMP, ICC and
text chunks stay behind. The stored file has a random name (`avatar_path`), so neither the
original file name nor the account shows in the URL.
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "png"}
# The stored picture is at most this wide and high: more than any page shows.
STORED_SIDE = 1024


def avatar_path(instance, filename: str) -> str:
    """A random name under avatars/: the uploaded name is never used."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "png"
    return f"avatars/{uuid.uuid4().hex}.{extension}"


def check_size(size: int) -> None:
    if size > settings.AVATAR_MAX_BYTES:
        raise ValidationError(
            _("That picture is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.AVATAR_MAX_BYTES)},
            code="too_big",
        )


def _open(upload) -> Image.Image:
    upload.seek(0)
    with warnings.catch_warnings():
        # Over Pillow's own guard it is an error; under it, ours below decides.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return Image.open(upload)
        except (OSError, Image.DecompressionBombError, ValueError) as exc:
            raise ValidationError(_("Upload a valid image."), code="invalid_image") from exc


def reencode(upload) -> ContentFile:
    """The picture of `upload` (a file Django has received), re-encoded without metadata.

    ValidationError for a file that is too big, not a JPEG, PNG, WebP or GIF picture, or more
    than AVATAR_MAX_SIDE pixels wide or high.
    """
    check_size(upload.size)
    image = _open(upload)
    if image.format not in FORMATS:
        raise ValidationError(_("Upload a JPEG, PNG, WebP or GIF picture."), code="format")
    width, height = image.size
    side = settings.AVATAR_MAX_SIDE
    if width > side or height > side:
        raise ValidationError(
            _("That picture is %(width)s by %(height)s pixels; the limit is %(side)s by %(side)s.")
            % {"width": width, "height": height, "side": side},
            code="too_many_pixels",
        )
    source_format = image.format
    try:
        image.load()
        image = ImageOps.exif_transpose(image)  # keep the orientation EXIF described
    except (OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(_("Upload a valid image."), code="invalid_image") from exc
    mode = "RGBA" if image.has_transparency_data else "RGB"
    if source_format == "JPEG":
        mode = "RGB"
    image = image.convert(mode)
    image.thumbnail((STORED_SIDE, STORED_SIDE))
    # A new image from the pixels alone: nothing of the upload's `info` comes along.
    clean = Image.frombytes(mode, image.size, image.tobytes())
    output_format = "PNG" if source_format == "GIF" else source_format
    buffer = io.BytesIO()
    options = {"quality": 88} if output_format in {"JPEG", "WEBP"} else {}
    clean.save(buffer, format=output_format, **options)
    return ContentFile(buffer.getvalue(), name=f"avatar.{FORMATS[source_format]}")
