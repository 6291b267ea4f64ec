"""Error answers: JSON under /api/ (the contract: every API answer is JSON), the HTML pages
elsewhere. Django calls these for errors raised outside DRF's views -- a path no route matches
(`/api/goals/0.5`), a body over DATA_UPLOAD_MAX_MEMORY_SIZE, too many form fields, a crash."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _json(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request, exception):
    if isinstance(exception, RequestDataTooBig):
        detail, status = _("The request body is too large."), 413
    elif isinstance(exception, TooManyFieldsSent):
        detail, status = _("The request has too many fields."), 400
    else:
        detail, status = _("Bad request."), 400
    if is_api(request):
        return _json(detail, status)
    response = defaults.bad_request(request, exception)
    response.status_code = status
    return response


def permission_denied(request, exception):
    if is_api(request):
        return _json(_("You do not have permission to perform this action."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return _json(_("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return _json("A server error occurred.", 500)
    return defaults.server_error(request)
