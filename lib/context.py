"""The request being served, as the logs see it (set by lib.middleware.RequestLogMiddleware)."""

from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
