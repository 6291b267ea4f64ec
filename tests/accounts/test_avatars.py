"""Profile pictures are stored re-encoded (no EXIF, GPS or other metadata) under a random
name; too many pixels and too many bytes are refused, the bytes before the body is read."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image, PngImagePlugin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(image, name, image_format, **save_options):
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **save_options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format}")


def photo_with_gps(name="IMG_2041 home.jpg"):
    """A JPEG as a phone takes it: camera, time and where it was taken, in EXIF."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 12"
    exif[ExifTags.Base.DateTime] = "2026:11:30 08:15:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 12.0, 30.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (32.0, 49.0, 10.25)
    image = Image.new("RGB", (320, 240), "#d65a33")
    return upload(image, name, "JPEG", exif=exif, comment=b"taken at home")


def test_the_stored_picture_has_no_exif_gps_or_original_name(web_client, user, tmp_path):
    sent = photo_with_gps()
    assert Image.open(io.BytesIO(sent.read())).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    sent.seek(0)

    response = web_client.post(reverse("accounts:avatar"), {"avatar": sent})

    assert response.status_code == 302
    user.refresh_from_db()
    name = os.path.basename(user.avatar.name)
    assert "IMG_2041" not in name
    assert "home" not in name
    assert name.endswith(".jpg")
    assert len(name.removesuffix(".jpg")) == 32  # a random uuid4, in hex
    raw = (tmp_path / user.avatar.name).read_bytes()
    assert b"Exif" not in raw
    assert b"PhoneMaker" not in raw
    assert b"taken at home" not in raw
    stored = Image.open(tmp_path / user.avatar.name)
    assert stored.format == "JPEG"
    assert stored.size == (320, 240)
    assert not stored.getexif()
    assert "exif" not in stored.info
    assert "comment" not in stored.info


def test_two_uploads_of_one_file_get_different_names(web_client, user):
    names = []
    for _ in range(2):
        web_client.post(reverse("accounts:avatar"), {"avatar": photo_with_gps("me.jpg")})
        user.refresh_from_db()
        names.append(user.avatar.name)

    assert names[0] != names[1]


def test_a_transparent_png_keeps_its_transparency_and_loses_its_text(web_client, user, tmp_path):
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ivan Petrenko, Bakhmach")
    image = Image.new("RGBA", (64, 64), (51, 71, 214, 0))

    web_client.post(
        reverse("accounts:avatar"), {"avatar": upload(image, "me.png", "PNG", pnginfo=info)}
    )

    user.refresh_from_db()
    stored = Image.open(tmp_path / user.avatar.name)
    assert (stored.format, stored.mode) == ("PNG", "RGBA")
    assert stored.getpixel((0, 0))[3] == 0
    assert "Author" not in stored.info


def test_a_12000_by_12000_png_is_refused_before_its_pixels_are_decoded(web_client, user):
    # One bit a pixel: small in memory and on the wire (some hundred kilobytes), 432 MB as
    # the RGB picture it would decode to.
    bomb = upload(Image.new("1", (12_000, 12_000)), "big.png", "PNG", optimize=True)
    assert bomb.size < 2 * 1024 * 1024

    response = web_client.post(reverse("accounts:avatar"), {"avatar": bomb})

    assert response.status_code == 422
    assert "12000 by 12000 pixels; the limit is 4096 by 4096" in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar


def test_a_file_over_the_byte_limit_is_a_form_error(web_client, user, settings):
    settings.AVATAR_MAX_BYTES = 100_000
    noise = Image.frombytes("RGB", (200, 200), os.urandom(200 * 200 * 3))  # 120 kB as PNG

    response = web_client.post(
        reverse("accounts:avatar"), {"avatar": upload(noise, "me.png", "PNG")}
    )

    assert response.status_code == 422
    assert "the limit is 97.7\xa0KB" in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar


class Unreadable:
    """A request body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_unread(client, megabytes):
    return client.generic(
        "POST",
        reverse("accounts:avatar"),
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(megabytes * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )


@pytest.mark.parametrize("megabytes", [3, 50])
def test_a_body_over_the_limit_is_refused_before_it_is_read(web_client, user, megabytes):
    # 3 MB passes the site-wide MAX_REQUEST_BODY_SIZE and meets the avatar's own limit;
    # 50 MB meets the site-wide one first. Neither is read.
    response = post_unread(web_client, megabytes)

    assert response.status_code == 413
    assert response["Connection"] == "close"
    if megabytes == 3:
        assert "That picture is too big; the limit is 2.0\xa0MB." in response.content.decode()
    user.refresh_from_db()
    assert not user.avatar


def test_the_avatar_form_still_needs_its_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("accounts:avatar"), {"avatar": photo_with_gps()})

    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.avatar
