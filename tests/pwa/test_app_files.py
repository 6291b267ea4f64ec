"""The manifest, the service worker script and the pages of the installable app."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"


def test_the_manifest_names_the_app_and_its_icons(client):
    answer = client.get("/manifest.webmanifest")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/manifest+json"
    manifest = json.loads(answer.content)
    assert manifest["start_url"] == "/dashboard"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        path = STATIC / icon["src"].removeprefix(settings.STATIC_URL)
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]
    assert {icon.get("purpose", "any") for icon in manifest["icons"]} == {"any", "maskable"}


def test_the_maskable_icon_keeps_its_mark_in_the_safe_zone():
    """Outside the central circle of 80% (which a launcher may crop) is only background."""
    with Image.open(STATIC / "pwa" / "icon-maskable-512.png") as image:
        rgb = image.convert("RGB")
        background = rgb.getpixel((0, 0))
        size = rgb.width
        radius = 0.4 * size
        for x in range(0, size, 4):
            for y in range(0, size, 4):
                if (x - size / 2) ** 2 + (y - size / 2) ** 2 > radius**2:
                    assert rgb.getpixel((x, y)) == background, (x, y)


def test_the_service_worker_is_served_for_the_whole_site(client):
    answer = client.get("/sw.js")

    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert answer["Service-Worker-Allowed"] == "/"
    assert "no-cache" in answer["Cache-Control"]
    script = answer.content.decode()
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", script).group(1))
    assert "/offline" in shell
    assert "/static/js/pwa.js" in shell
    for url in shell:  # tests serve no static files: those must be found by the finders
        if url.startswith(settings.STATIC_URL):
            assert finders.find(url.removeprefix(settings.STATIC_URL)), url
        else:
            assert client.get(url).status_code == 200, url
    version = re.search(r'const VERSION = "([0-9a-f]{12})";', script)
    assert version, "the cache is named after the shell"
    for handler in ("install", "activate", "fetch", "push", "notificationclick", "sync"):
        assert f'addEventListener("{handler}"' in script


def test_every_page_links_the_manifest_and_the_worker_script(client):
    page = client.get("/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert 'rel="apple-touch-icon"' in page
    assert 'data-worker="/sw.js"' in page
    assert 'id="offline-banner"' in page


def test_the_device_page_offers_notifications_only_with_keys(web_client, settings):
    settings.WEBPUSH_ENABLED = False
    assert 'id="push-controls"' not in web_client.get("/device").content.decode()

    settings.WEBPUSH_ENABLED = True
    settings.VAPID_PUBLIC_KEY = "BPublicKey"
    page = web_client.get("/device").content.decode()
    assert 'data-key="BPublicKey"' in page


def test_the_device_page_needs_a_signed_in_user(client):
    answer = client.get("/device")

    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


def test_the_offline_page_is_public(client):
    assert client.get("/offline").status_code == 200
