"""Project-wide API plumbing: pagination, routers and the error shape of the contract."""

import base64
import datetime
import json
import uuid
from collections.abc import Sequence
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import InvalidPage
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, filters
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from lib.user_version import answer_key, versioned_get_many, versioned_set_many


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def page_of_count(self, request, count: int) -> slice:
        """The bounds of the requested page of a list of `count` rows, when the rows are read
        apart (a cached count, a page of ids): the same page numbers, 404s and links as
        `paginate_queryset`, whose `get_paginated_response` then answers for `results`."""
        self.request = request
        rows = cast("Sequence[Any]", _Counted(count))
        paginator = self.django_paginator_class(rows, self.get_page_size(request) or self.page_size)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(
                self.invalid_page_message.format(page_number=page_number, message=str(exc))
            ) from exc
        return cast(slice, self.page.object_list)


def cached_page(view, build, *, name: str, vary=()) -> Response:
    """The paginated list answer of `view`, from the cache while none of the user's data
    changed (`lib.user_version`): one Redis round trip and no query on a hit.

    `build()` paginates and serializes on a miss (`view.paginate_queryset`) and returns the
    page's rows; the answer is keyed by the user, `name`, the query and `vary` (pairs such as
    the language, for an answer with translated text). The links are the request's own.
    """
    request = view.request
    params = [(key, value) for key, values in request.query_params.lists() for value in values]
    key = answer_key(request.user.pk, name, [*params, *vary])
    token, found = versioned_get_many(request.user.pk, [key])
    pages = cast(Pagination, view.paginator)
    if key in found:
        count, results = found[key]
        pages.page_of_count(request, count)
    else:
        results = list(build())
        assert pages.page is not None  # set by `build`'s `paginate_queryset`
        count = pages.page.paginator.count
        versioned_set_many(token, {key: (count, results)})
    return pages.get_paginated_response(results)


class Walk:
    """`?cursor=`: a list walked from its oldest row by `(created_at, id)`, beside `?page=`.

    The key never changes as rows are edited, so a client that walks every page sees each row
    once however the list's own order moves meanwhile; rows added meanwhile come last. An
    empty `?cursor=` starts at the oldest row; an answer's `next` and `previous` links carry
    the cursors on from there. A cursor is opaque: the key of the row it continues from and
    the direction, encoded; one not made by us is a 400.
    """

    param = "cursor"

    def __init__(self, request):
        self.request = request
        self.after: tuple[datetime.datetime, uuid.UUID] | None = None
        self.backwards = False
        text = request.query_params.get(self.param, "")
        if text:
            try:
                created, pk, direction = json.loads(base64.urlsafe_b64decode(text.encode()))
                self.after = (datetime.datetime.fromisoformat(created), uuid.UUID(pk))
                if direction not in ("n", "p") or self.after[0].tzinfo is None:
                    raise ValueError(direction)
            except (ValueError, TypeError, AttributeError):  # binascii's and json's: ValueError
                message = gettext("This cursor is not valid: take one from a list's link.")
                raise exceptions.ValidationError({self.param: [message]}) from None
            self.backwards = direction == "p"

    @staticmethod
    def cursor(row: dict, *, backwards: bool) -> str:
        """The cursor that continues from `row` (its `created_at` and `id`)."""
        key = [row["created_at"].isoformat(), str(row["id"]), "p" if backwards else "n"]
        return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()

    def links(self, rows: list[dict], *, more: bool) -> tuple[str | None, str | None]:
        """The cursors of the pages after and before `rows`, as read in this walk's direction
        (`more`: rows lie beyond them in that direction); None where the walk ends."""
        if not rows:
            return None, None
        onward, back = more, self.after is not None
        if self.backwards:
            onward, back = back, onward
        return (
            self.cursor(rows[-1], backwards=False) if onward else None,
            self.cursor(rows[0], backwards=True) if back else None,
        )

    def link(self, cursor: str | None) -> str | None:
        """The address of the request with `cursor` (and no `page`)."""
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        return replace_query_param(url, self.param, cursor)


CURSOR_PARAMETER = OpenApiParameter(
    Walk.param,
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="Walk the whole list instead of numbering pages: give it empty to start at the "
    "oldest row, then follow the answer's `next` (or `previous`) link, whose cursor is opaque. "
    "Rows come by creation time (then id) whatever `ordering` says, so each is seen once while "
    "rows change; `page` is ignored, filters and `page_size` apply. A cursor not taken from a "
    "link is a 400.",
)


class _Counted:
    """Rows known only by their number: Django's paginator counts them, and a slice of them is
    the slice itself (the bounds of a page)."""

    def __init__(self, count: int):
        self._count = count

    def count(self) -> int:
        return self._count

    def __getitem__(self, bounds: slice) -> slice:
        return bounds


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


def throttled_answers(result, generator, request, public):
    """drf-spectacular hook: every operation may answer 429, as every view is throttled."""
    throttled = {
        "description": "Too many requests; the `Retry-After` header says how many seconds to wait.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        "content": {"application/json": {"schema": _DETAIL}},
    }
    for item in result["paths"].values():
        for operation in item.values():
            operation["responses"].setdefault("429", throttled)
    return result


def error_answers(result, generator, request, public):
    """drf-spectacular hook: the error answers every operation of its kind can give, where a
    view did not document them: 401 where credentials are needed, 400 for a bad query
    parameter, 404 for a page past the last one of a list or an object (or a nested list's
    parent) that is missing."""
    for item in result["paths"].values():
        for operation in item.values():
            responses = operation["responses"]
            parameters = operation.get("parameters", [])
            if operation.get("security") != [{}] and {} not in operation.get("security", []):
                responses.setdefault(
                    "401", _error(_DETAIL, "Missing, invalid or expired credentials.")
                )
            if any(parameter["in"] == "query" for parameter in parameters):
                responses.setdefault("400", _error(_FIELD_ERRORS, "Invalid query parameters."))
            if any(parameter["name"] == "page" for parameter in parameters):
                responses.setdefault("404", _error(_DETAIL, "No such page of the list."))
            if any(parameter["in"] == "path" for parameter in parameters):
                # A nested list (`/api/tasks/{task_pk}/subtasks`): its parent is missing.
                responses.setdefault("404", _error(_DETAIL, "No such object, or it is not yours."))
    return result


def _error(schema, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def exception_handler(exc, context):
    """DRF's handler, with the contract's error shapes.

    Model-level validation (services, model.clean) surfaces as a 400 field error, not a 500. A
    400's non-field errors (DRF's NON_FIELD_ERRORS_KEY, set to `detail`, and Django's
    `__all__`) become one string under `detail`, like every other error's `detail`.
    """
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        response.data = _with_detail_string(response.data)
    return response


def _django_errors(exc: DjangoValidationError) -> dict:
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    errors = exc.message_dict
    if NON_FIELD_ERRORS in errors:
        errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
    return errors


def _with_detail_string(data):
    """`{"field": [...], "detail": "one. two."}` from DRF's error data."""
    if isinstance(data, list):  # `raise ValidationError("...")` outside a serializer
        data = {api_settings.NON_FIELD_ERRORS_KEY: data}
    messages = data.get(api_settings.NON_FIELD_ERRORS_KEY)
    if isinstance(messages, list) and all(isinstance(message, str) for message in messages):
        data[api_settings.NON_FIELD_ERRORS_KEY] = " ".join(messages)
    return data


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
    "`detail`, a string, carries a non-field error.",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"type": "string"}},
            {
                "type": "object",
                "description": "The errors of a list's items by their index (`labels`: "
                '`{"0": ["Invalid pk …"]}`), or of a nested object\'s fields.',
            },
        ]
    },
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


def id_parameter(noun: str) -> OpenApiParameter:
    """The `{id}` path parameter of an object of `noun`s."""
    return OpenApiParameter(
        "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description=f"The {noun}'s id (a UUID)."
    )


def crud_schema(serializer, id_param: OpenApiParameter, *, one: str, many: str, **overrides):
    """`extend_schema_view` of a viewset of the user's objects, for the actions it has:
    summaries, path parameter and the contract's answers, `one` ("a task") and `many`
    ("tasks") naming the objects.

    `overrides` maps an action to `extend_schema` arguments that replace its defaults.
    """
    writes = error_responses(400, 401, 404)
    actions = {
        "list": {
            "summary": f"List your {many}",
            "responses": {200: serializer(many=True), **error_responses(400, 401)},
        },
        "create": {
            "summary": f"Create {one}",
            "responses": {201: serializer, **error_responses(400, 401)},
        },
        "retrieve": {
            "summary": f"Get {one}",
            "parameters": [id_param],
            "responses": {200: serializer, **error_responses(401, 404)},
        },
        "update": {
            "summary": f"Replace {one}",
            "parameters": [id_param],
            "responses": {200: serializer, **writes},
        },
        "partial_update": {
            "summary": f"Update {one} partially",
            "parameters": [id_param],
            "responses": {200: serializer, **writes},
        },
        "destroy": {
            "summary": f"Delete {one}",
            "parameters": [id_param],
            "responses": {204: None, **error_responses(401, 404)},
        },
    }

    def decorate(view):
        # Only the actions the viewset has: one without `retrieve` (a checklist item) would
        # otherwise make drf-spectacular warn, and `check --deploy` fail.
        return extend_schema_view(
            **{
                action: extend_schema(**(kwargs | overrides.get(action, {})))
                for action, kwargs in actions.items()
                if hasattr(view, action)
            }
        )(view)

    return decorate
