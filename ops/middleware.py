"""Request plumbing of the operations layer."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

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
