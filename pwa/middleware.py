"""`Idempotency-Key`: a write sent twice with the same key is applied once.

The offline queue of the service worker gives every task completion and quick add it holds a
key and may send it again (the answer was lost, the replay was interrupted, two tabs replay at
once). This middleware is the one place the key is honoured, for every unsafe request of a
signed-in user: the HTML form posts, their htmx variants and the API (a JWT is read here, as
the API's authentication would read it). The first request with a key is answered and its
answer kept for IDEMPOTENCY_KEY_TTL; a repeat gets that answer, marked `Idempotent-Replayed:
true`, and the view does not run again.
"""

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import AuthenticationFailed

from accounts.authentication import JWTAuthentication

from . import services

HEADER = "Idempotency-Key"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_KEY_LENGTH = 255


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        claim = getattr(request, "idempotency_claim", None)
        if claim is None:
            return response
        if response.streaming:
            services.release_idempotency_key(claim=claim)
        else:
            # An exception in the view arrives here as its 500, which is not kept.
            services.record_answer(
                claim=claim,
                status=response.status_code,
                headers=dict(response.items()),
                body=response.content,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Runs after the CSRF check and the other middleware's views hooks."""
        key = request.headers.get(HEADER)
        if key is None or request.method not in UNSAFE_METHODS:
            return None
        user = _user_of(request)
        if user is None:
            # Not signed in: the view answers as it would (a redirect to sign in, a 401).
            return None
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            return _refusal(
                request, 400, _("The Idempotency-Key header must be 1 to 255 characters.")
            )
        request_line = f"{request.method} {request.path}"[:1000]
        claim = services.claim_idempotency_key(user=user, key=key, request_line=request_line)
        if not claim.first:
            return _replay(request, claim.key, request_line)
        request.idempotency_claim = claim
        return None


def _user_of(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        return None
    try:
        authenticated = JWTAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None  # the API view refuses the token with its own 401
    return authenticated[0] if authenticated else None


def _replay(request, earlier, request_line):
    if earlier.request_line != request_line:
        return _refusal(
            request, 422, _("This Idempotency-Key was already used for another request.")
        )
    if earlier.status is None:
        response = _refusal(
            request, 409, _("A request with this Idempotency-Key is still being processed.")
        )
        response["Retry-After"] = "1"
        return response
    response = HttpResponse(bytes(earlier.body), status=earlier.status)
    for name, value in earlier.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def _refusal(request, status, text):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": text}, status=status)
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
