"""Request plumbing of the operations layer."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from . import cache

API_PREFIX = "/api/"
CACHE_UNAVAILABLE = (
    "Two-factor sign-in needs a service that is briefly unavailable. "
    "Please try again in a minute; nothing is lost."
)


class CacheRequiredMiddleware:
    """503, with a clear message, for the requests that cannot work without the shared cache.

    Everything else degrades when Redis is down (settings: IGNORE_EXCEPTIONS, cached_db
    sessions). Two-factor codes cannot: a used code is remembered only there, so accepting
    codes without it would let a code be replayed, and refusing them would say "incorrect".
    The routes are named by CACHE_REQUIRED_ROUTES.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        route = request.resolver_match.url_name if request.resolver_match else None
        if request.method != "POST" or route not in settings.CACHE_REQUIRED_ROUTES:
            return None
        if cache.reachable():
            return None
        if request.path_info.startswith(API_PREFIX):
            response = JsonResponse({"detail": CACHE_UNAVAILABLE}, status=503)
        else:
            response = render(request, "503.html", {"message": CACHE_UNAVAILABLE}, status=503)
        response["Retry-After"] = "60"
        return response


class RequestSizeLimitMiddleware:
    """413 for a request whose declared body is over MAX_REQUEST_BODY_SIZE, before any of it
    is read. DATA_UPLOAD_MAX_MEMORY_SIZE bounds form and JSON bodies but not file uploads,
    which Django would otherwise stream to disk in full before a form could refuse them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.MAX_REQUEST_BODY_SIZE:
            megabytes = settings.MAX_REQUEST_BODY_SIZE // (1024 * 1024)
            detail = f"The request body is too large (at most {megabytes} MB)."
            if request.path_info.startswith(API_PREFIX):
                response = JsonResponse({"detail": detail}, status=413)
            else:
                response = HttpResponse(detail, status=413, content_type="text/plain")
            response["Connection"] = "close"  # the unread body must not be taken as a request
            return response
        return self.get_response(request)


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every API answer and every page of a signed-in
    person: neither a shared proxy nor the browser's back button keeps them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if request.path_info.startswith(API_PREFIX) or signed_in:
            patch_cache_control(response, private=True, no_store=True)
        return response
