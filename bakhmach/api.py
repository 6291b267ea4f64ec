"""Project-wide API plumbing: pagination, routers and the error shape of the contract."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import DefaultRouter
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def router() -> DefaultRouter:
    """A router that answers both `/api/tasks` (the contract) and `/api/tasks/`."""
    return DefaultRouter(trailing_slash="/?")


def exception_handler(exc, context):
    # Model-level validation (services, model.clean) surfaces as a 400 field error, not a 500.
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)
