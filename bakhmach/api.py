"""Project-wide API plumbing: pagination, routers and the error shape of the contract."""

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, filters
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import SimpleRouter
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def router() -> SimpleRouter:
    """A router that answers both `/api/tasks` (the contract) and `/api/tasks/`.

    No API root view: each app has its own router, and `/api/docs/` is the index.
    """
    api_router = SimpleRouter()
    # DRF's `trailing_slash` argument is a boolean; the optional slash is set after it.
    api_router.trailing_slash = "/?"
    return api_router


def contract_paths(result, generator, request, public):
    """drf-spectacular hook: list paths as the contract spells them, `/api/tasks/{id}`.

    The routes take an optional trailing slash, which the schema generator renders as `/`.
    """
    result["paths"] = {
        (path.rstrip("/") if path != "/" else path): item for path, item in result["paths"].items()
    }
    return result


def exception_handler(exc, context):
    # Model-level validation (services, model.clean) surfaces as a 400 field error, not a 500.
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


class OrderingFilter(filters.OrderingFilter):
    """`?ordering=` that sorts NULLs last on every database and ends with the primary key.

    The final `pk` makes the order total, so consecutive pages never repeat or skip a row.
    Without `?ordering=` the view's `ordering` (or the model's default) is kept.
    """

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view) or queryset.query.order_by
        ordering = ordering or queryset.model._meta.ordering
        return queryset.order_by(*(_nulls_last(queryset.model, term) for term in ordering), "pk")

    def get_schema_operation_parameters(self, view):
        fields = ", ".join(f"`{name}`" for name in view.ordering_fields)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": f"Sort by {fields}; prefix `-` for descending, separate several "
                "with commas. Empty values sort last. Unknown fields are ignored.",
                "schema": {"type": "string"},
            }
        ]


class SearchFilter(filters.SearchFilter):
    """`?search=` whose errors (a NUL character) name the parameter, like any field error."""

    def get_search_terms(self, request):
        try:
            return super().get_search_terms(request)
        except exceptions.ValidationError as exc:
            raise exceptions.ValidationError({self.search_param: exc.detail}) from exc

    def get_schema_operation_parameters(self, view):
        fields = ", ".join(f"`{name}`" for name in view.search_fields)
        parameters = super().get_schema_operation_parameters(view)
        parameters[0]["description"] = (
            f"Only rows whose {fields} contain every word of this text (case-insensitive)."
        )
        return parameters


def _nulls_last(model, term):
    """A nullable field's ordering with NULLs last (SQLite and PostgreSQL differ by default)."""
    if not isinstance(term, str):
        return term
    name = term.removeprefix("-")
    try:
        nullable = model._meta.get_field(name).null
    except FieldDoesNotExist:  # an annotation, such as a plan's progress
        nullable = False
    if not nullable:
        return term  # left as is, so that it can match the order of an index
    return F(name).desc(nulls_last=True) if term.startswith("-") else F(name).asc(nulls_last=True)


_FIELD_ERRORS = {
    "type": "object",
    "description": "Field errors: each invalid field names its messages; "
    "`detail` carries a non-field error.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"title": ["This field is required."]},
}
_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
ERROR_RESPONSES = {
    400: OpenApiResponse(_FIELD_ERRORS, description="Invalid input (body or query)."),
    401: OpenApiResponse(_DETAIL, description="Missing, invalid or expired credentials."),
    404: OpenApiResponse(_DETAIL, description="No such object, or it is not yours."),
}


def error_responses(*codes: int) -> dict:
    """OpenAPI responses for the contract's error answers, for `extend_schema(responses=...)`."""
    return {code: ERROR_RESPONSES[code] for code in codes}
