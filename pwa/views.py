"""The installable app's files and endpoints: manifest, service worker, offline page, push."""

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from . import services
from .forms import SubscriptionForm, UnsubscribeForm
from .models import PushSubscription

THEME_COLOUR = "#3347d6"
BACKGROUND_COLOUR = "#ffffff"
# What the service worker stores when it installs: the shell every page needs.
SHELL = [
    "css/app.css",
    "js/app.js",
    "js/shortcuts.js",
    "js/pwa.js",
    "vendor/htmx/htmx.min.js",
    "img/logo.svg",
    "pwa/icon-192.png",
    "pwa/icon-512.png",
]


@require_GET
@cache_control(max_age=60 * 60)
def manifest(request):
    icons = [
        {"src": static("pwa/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("pwa/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("pwa/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    data = {
        "id": "/dashboard",
        "name": "Bakhmach Business Hub",
        "short_name": "Bakhmach",
        "description": _("Your plans, goals and tasks in one place."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("dashboard"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": icons,
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )


@require_GET
@cache_control(no_cache=True)
def service_worker(request):
    """The service worker, at the root so that its scope is the whole site.

    Its cache name follows the shell's URLs (hashed by the static files storage in production),
    so a deploy that changes a file installs a new worker that drops the old cache.
    """
    shell = [static(name) for name in SHELL] + [reverse("pwa:offline")]
    version = hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]
    context = {
        "shell": json.dumps(shell),
        "version": version,
        "offline_url": json.dumps(reverse("pwa:offline")),
        "logout_url": json.dumps(reverse("account_logout")),
    }
    response = render(request, "pwa/sw.js", context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request):
    return render(request, "pwa/offline.html")


@login_required
@require_GET
def device(request):
    """This device: install the app, turn notifications on or off."""
    context = {
        "vapid_public_key": settings.VAPID_PUBLIC_KEY if settings.WEBPUSH_ENABLED else "",
        "subscriptions": PushSubscription.objects.owned_by(request.user).order_by("-created_at"),
    }
    return render(request, "pwa/device.html", context)


def _posted_json(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


@login_required
@require_POST
def push_subscribe(request):
    data = _posted_json(request)
    keys = data.get("keys")
    if not isinstance(keys, dict):
        keys = {}
    form = SubscriptionForm(
        {"endpoint": data.get("endpoint"), "p256dh": keys.get("p256dh"), "auth": keys.get("auth")}
    )
    if not settings.WEBPUSH_ENABLED:
        return JsonResponse(
            {"detail": _("Notifications are not set up on this server.")}, status=409
        )
    if not form.is_valid():
        return JsonResponse(
            {"detail": _("Invalid subscription."), "errors": form.errors}, status=400
        )
    subscription = services.subscribe(
        user=request.user,
        user_agent=request.headers.get("User-Agent", ""),
        **form.cleaned_data,
    )
    return JsonResponse({"id": str(subscription.pk)}, status=201)


@login_required
@require_POST
def push_unsubscribe(request):
    form = UnsubscribeForm({"endpoint": _posted_json(request).get("endpoint")})
    if not form.is_valid():
        return JsonResponse(
            {"detail": _("Invalid subscription."), "errors": form.errors}, status=400
        )
    if not services.unsubscribe(user=request.user, **form.cleaned_data):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return JsonResponse({}, status=200)
