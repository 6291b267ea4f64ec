"""Request plumbing of the operations layer."""

import logging
import re
import time
import uuid

import sentry_sdk
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import cache, context, db_router, metrics

API_PREFIX = "/api/"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
request_logger = logging.getLogger("bakhmach.requests")
CACHE_UNAVAILABLE = _(
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
        response: HttpResponse
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
            detail = gettext("The request body is too large (at most %(megabytes)s MB).") % {
                "megabytes": megabytes
            }
            response: HttpResponse
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


class RequestLogMiddleware:
    """Gives each request an id (the caller's `X-Request-ID` if it is sane), answers it in
    `X-Request-ID`, logs one JSON line per request (id, method, path, route, status, duration,
    user id) and records the request's latency in /metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = context.request_id.set(request.request_id)
        wrote = db_router.request_wrote.set(False)  # reads may use the replica until a write
        sentry_sdk.get_isolation_scope().set_tag("request_id", request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(token)
            db_router.request_wrote.reset(wrote)
        seconds = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        route = match.view_name if match else "unmatched"
        user = getattr(request, "user", None)
        response["X-Request-ID"] = request.request_id
        metrics.observe(
            route=route, method=request.method, status=response.status_code, seconds=seconds
        )
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": str(user.pk) if user is not None and user.is_authenticated else None,
            },
        )
        return response
