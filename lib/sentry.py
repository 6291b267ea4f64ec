"""Error reporting to Sentry (or a compatible server) when SENTRY_DSN is set.

No personal data leaves: sentry-sdk collects no user identity, request bodies, SQL parameters
or local variables (`data_collection`), and `scrub` removes what could still carry some --
secret headers, cookies and query strings, and the cache's breadcrumbs (keys hold session ids).
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

SCRUBBED = "[scrubbed]"
_SECRET_HEADERS = {"authorization", "cookie", "x-csrftoken", "x-api-key", "proxy-authorization"}


def scrub(event, hint):
    request = event.get("request") or {}
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in _SECRET_HEADERS:
            headers[name] = SCRUBBED
    for field in ("cookies", "data", "query_string"):
        if request.get(field):
            request[field] = SCRUBBED
    event.pop("user", None)
    return event


def drop_cache_breadcrumbs(crumb, hint):
    # A cache breadcrumb names its key, and session keys are secrets.
    return None if crumb.get("category") == "redis" else crumb


def init(*, dsn: str, environment: str, traces_sample_rate: float = 0.0) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        # No identity, bodies, SQL parameters or local variables (a request's repr holds its
        # query string): any of them can hold someone's data.
        data_collection={
            "user_info": False,
            "http_bodies": [],
            "database_query_data": False,
            "stack_frame_variables": False,
        },
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=scrub,
        before_breadcrumb=drop_cache_breadcrumbs,
    )
