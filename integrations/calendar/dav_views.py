"""The CalDAV service: `/.well-known/caldav` → `/dav/` → principal → calendar home → the
user's tasks as a VTODO collection.

Clients authenticate every request with HTTP Basic and an app password; no session or CSRF
token is involved, so these views (and only these) are exempt from CSRF. A collection or object
of another user is a 404, like a missing one.
"""

import base64
import binascii
import functools
from urllib.parse import quote, unquote, urlsplit

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from rest_framework.throttling import BaseThrottle

from accounts.calendar import UserCalendar

from . import dav, ical, query, selectors, services
from .dav import APPLE, CALSERVER, Entry, c, d, element, href

REALM = "Bakhmach CalDAV"
COLLECTION_NAME = "Bakhmach tasks"
TODO_CONTENT_TYPE = "text/calendar; charset=utf-8; component=vtodo"
DAV_HEADER = "1, 3, calendar-access"
READ_METHODS = ["OPTIONS", "GET", "HEAD", "PROPFIND"]
COLLECTION_METHODS = [*READ_METHODS, "REPORT", "PROPPATCH"]
OBJECT_METHODS = [*READ_METHODS, "PUT", "DELETE"]
SYNC_TOKEN_PREFIX = "urn:bakhmach:sync:"  # noqa: S105 - a URI scheme, not a secret
MAX_NAME = 255  # a resource name a client picks is stored (TaskResource.name)
# Wrong passwords allowed from one address in a window before it is refused for the window.
AUTH_FAILURES_ALLOWED = 20
AUTH_FAILURE_WINDOW = 600  # seconds


@csrf_exempt
def well_known(request):
    """RFC 6764: the service lives at /dav/. A 301 keeps the method (PROPFIND) for clients."""
    return HttpResponsePermanentRedirect(reverse("calendar_sync:dav-root"))


def _unauthorized() -> HttpResponse:
    response = HttpResponse("An app password is needed.", status=401, content_type="text/plain")
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def _basic_credentials(request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    login, sep, password = decoded.partition(":")
    return (login, password) if sep else None


def dav_view(methods):
    """A CalDAV view: Basic auth with an app password, the path's owner checked, DAV errors."""

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, user_id=None, **kwargs):
            if request.method == "OPTIONS":
                response = HttpResponse(status=200)
            elif request.method not in methods:
                response = HttpResponseNotAllowed(methods)
            else:
                response = _authenticated(view, request, user_id, kwargs)
            response["DAV"] = DAV_HEADER
            response.setdefault("Allow", ", ".join(methods))
            return response

        return wrapper

    return decorate


def _failures_key(request) -> str:
    # The `throttle_` prefix puts it with the API's rate-limit counters.
    return f"throttle_caldav_auth_failures_{BaseThrottle().get_ident(request)}"


def _authenticated(view, request, user_id, kwargs):
    failures_key = _failures_key(request)
    if cache.get(failures_key, 0) >= AUTH_FAILURES_ALLOWED:
        response = HttpResponse("Too many wrong passwords.", status=429, content_type="text/plain")
        response["Retry-After"] = str(AUTH_FAILURE_WINDOW)
        return response
    credentials = _basic_credentials(request)
    app_password = selectors.authenticate_app_password(*credentials) if credentials else None
    if app_password is None:
        if credentials is not None:  # a client's first, credential-less request is no failure
            cache.add(failures_key, 0, AUTH_FAILURE_WINDOW)
            cache.incr(failures_key)
        return _unauthorized()
    services.record_app_password_use(
        app_password=app_password,
        user_agent=request.headers.get("User-Agent", ""),
        now=timezone.now(),
    )
    request.app_password = app_password  # the device, for what it changes
    user = app_password.user
    if user_id is not None and user_id != user.pk:
        return HttpResponse("Not found.", status=404, content_type="text/plain")
    try:
        return view(request, user, **kwargs)
    except dav.BadRequest as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain")


def _urls(user) -> dict[str, str]:
    return {
        "principal": reverse("calendar_sync:dav-principal", args=[user.pk]),
        "home": reverse("calendar_sync:dav-home", args=[user.pk]),
        "tasks": reverse("calendar_sync:dav-tasks", args=[user.pk]),
    }


def _depth(request) -> int:
    return 0 if request.headers.get("Depth", "1") == "0" else 1


def _propfind(request, entries_at_depth):
    wanted = dav.requested_props(dav.parse(request.body))
    return dav.multistatus(entries_at_depth(_depth(request)), wanted)


def _principal_props(user) -> dav.Props:
    urls = _urls(user)
    return {
        d("current-user-principal"): lambda: href(urls["principal"]),
        d("principal-URL"): lambda: href(urls["principal"]),
        c("calendar-home-set"): lambda: href(urls["home"]),
        c("calendar-user-address-set"): lambda: href(f"mailto:{user.email}"),
        d("displayname"): lambda: user.display_name,
    }


def _privileges(*names) -> list:
    return [element(d("privilege"), None, element(d(name))) for name in names]


def _plain_text(text: str) -> HttpResponse:
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


@dav_view(READ_METHODS)
def root(request, user):
    if request.method != "PROPFIND":
        return _plain_text("Bakhmach CalDAV: add this address to your tasks app.")
    props: dav.Props = {
        d("resourcetype"): lambda: [element(d("collection"))],
        **_principal_props(user),
    }
    return _propfind(request, lambda depth: [Entry(request.path, props)])


@dav_view(READ_METHODS)
def principal(request, user):
    if request.method != "PROPFIND":
        return _plain_text(f"The CalDAV principal of {user.email}.")
    props: dav.Props = {
        d("resourcetype"): lambda: [element(d("principal"))],
        **_principal_props(user),
    }
    return _propfind(request, lambda depth: [Entry(request.path, props)])


@dav_view(READ_METHODS)
def home(request, user):
    if request.method != "PROPFIND":
        return _plain_text(f"The calendars of {user.email}.")
    urls = _urls(user)
    props: dav.Props = {
        d("resourcetype"): lambda: [element(d("collection"))],
        d("displayname"): lambda: "Calendars",
        d("owner"): lambda: href(urls["principal"]),
        d("current-user-principal"): lambda: href(urls["principal"]),
        d("current-user-privilege-set"): lambda: _privileges("read"),
    }

    def entries(depth):
        yield Entry(request.path, props)
        if depth:
            yield Entry(urls["tasks"], _collection_props(user, _CollectionState(user)))

    return _propfind(request, entries)


class _CollectionState:
    """The collection's resources and sync token, read once (one query) when first needed."""

    def __init__(self, user):
        self.user = user

    @functools.cached_property
    def resources(self) -> list[selectors.Resource]:
        return selectors.collection(self.user)

    @functools.cached_property
    def etags(self) -> dict[str, str]:
        return {resource.name: resource.etag for resource in self.resources}

    @functools.cached_property
    def digest(self) -> str:
        return selectors.state_digest(self.etags)

    @property
    def sync_token(self) -> str:
        return SYNC_TOKEN_PREFIX + self.digest


def _collection_props(user, state: _CollectionState) -> dav.Props:
    urls = _urls(user)
    reports = [
        element(d("supported-report"), None, element(d("report"), None, element(name)))
        for name in (c("calendar-query"), c("calendar-multiget"), d("sync-collection"))
    ]
    todo_only = element(c("comp"))
    todo_only.set("name", "VTODO")
    return {
        d("resourcetype"): lambda: [element(d("collection")), element(c("calendar"))],
        d("displayname"): lambda: COLLECTION_NAME,
        c("calendar-description"): lambda: "Your tasks, kept in sync with Bakhmach.",
        c("supported-calendar-component-set"): lambda: todo_only,
        d("supported-report-set"): lambda: reports,
        d("owner"): lambda: href(urls["principal"]),
        d("current-user-principal"): lambda: href(urls["principal"]),
        d("current-user-privilege-set"): lambda: _privileges(
            "read", "write", "write-content", "bind", "unbind", "read-current-user-privilege-set"
        ),
        d("sync-token"): lambda: state.sync_token,
        f"{{{CALSERVER}}}getctag": lambda: state.digest,
        f"{{{APPLE}}}calendar-color": lambda: "#2F7D5BFF",
    }


def _object_href(user, name: str) -> str:
    return _urls(user)["tasks"] + quote(name)


def _object_entry(user, resource: selectors.Resource, calendar=None) -> Entry:
    task = resource.task

    def data():
        rendered = calendar or ical.todo_calendar(task, uid=resource.uid, tzinfo=_tzinfo(user))
        return rendered.to_ical().decode()

    return Entry(
        _object_href(user, resource.name),
        {
            d("resourcetype"): lambda: [],
            d("getetag"): lambda: resource.etag,
            d("getcontenttype"): lambda: TODO_CONTENT_TYPE,
            d("getlastmodified"): lambda: http_date(task.updated_at.timestamp()),
            c("calendar-data"): data,
        },
    )


@dav_view(COLLECTION_METHODS)
def task_list(request, user):
    state = _CollectionState(user)
    if request.method == "PROPFIND":
        props = _collection_props(user, state)

        def entries(depth):
            yield Entry(request.path, props)
            if depth:
                yield from (_object_entry(user, resource) for resource in state.resources)

        return _propfind(request, entries)
    if request.method == "REPORT":
        return _report(request, user, state)
    if request.method == "PROPPATCH":
        # The collection's name and colour are the app's; say so per property (RFC 4918 §9.2).
        root = dav.parse(request.body)
        names = sorted(_settable(root)) if root is not None else []
        return dav.forbidden_props(request.path, names)
    return _plain_text(f"The tasks of {user.email}: {len(state.resources)} of them.")


def _settable(root) -> set[str]:
    """The property names inside a PROPPATCH's set/remove → prop elements."""
    names: set[str] = set()
    for action in (d("set"), d("remove")):
        for container in root.findall(action):
            for prop in container.findall(d("prop")):
                names.update(child.tag for child in prop)
    return names


def _report(request, user, state: _CollectionState):
    root = dav.parse(request.body)
    if root is None:
        raise dav.BadRequest("A REPORT needs a body.")
    wanted = dav.requested_props(root)
    if root.tag == c("calendar-multiget"):
        return _multiget(user, root, wanted)
    if root.tag == c("calendar-query"):
        return _calendar_query(user, root, wanted, state)
    if root.tag == d("sync-collection"):
        return _sync_collection(user, root, wanted, state)
    return dav.precondition_failed(d("supported-report"), status=403)


def _multiget(user, root, wanted):
    prefix = _urls(user)["tasks"]
    names = {}  # each href asked for → the name of a member of the collection, or None
    for node in root.findall(d("href")):
        requested = (node.text or "").strip()
        path = unquote(urlsplit(requested).path)
        names[requested] = path.removeprefix(prefix) if path.startswith(prefix) else None
    found = selectors.resources_named(user, [name for name in names.values() if name])
    entries = [
        _object_entry(user, found[name]) if name in found else Entry(requested, status=404)
        for requested, name in names.items()
    ]
    return dav.multistatus(entries, wanted)


def _calendar_query(user, root, wanted, state):
    tzinfo = _tzinfo(user)
    query_filter = root.find(c("filter"))
    entries = []
    for resource in state.resources:
        calendar = ical.todo_calendar(resource.task, uid=resource.uid, tzinfo=tzinfo)
        if query.matches(query_filter, calendar, tzinfo):
            entries.append(_object_entry(user, resource, calendar))
    return dav.multistatus(entries, wanted)


def _sync_collection(user, root, wanted, state):
    token = (root.findtext(d("sync-token")) or "").strip()
    known: dict[str, str] = {}
    if token:
        previous = None
        if token.startswith(SYNC_TOKEN_PREFIX):
            previous = selectors.sync_state(user, token.removeprefix(SYNC_TOKEN_PREFIX))
        if previous is None:  # unknown or forgotten: the client starts over (RFC 6578 §3.2)
            return dav.precondition_failed(d("valid-sync-token"), status=403)
        known = previous.etags
    services.remember_sync_state(
        user=user, digest=state.digest, etags=state.etags, now=timezone.now()
    )
    changed = [
        _object_entry(user, resource)
        for resource in state.resources
        if known.get(resource.name) != resource.etag
    ]
    removed = [
        Entry(_object_href(user, name), status=404) for name in known if name not in state.etags
    ]
    return dav.multistatus([*changed, *removed], wanted, sync_token=state.sync_token)


def _tzinfo(user):
    """The user's zone, from the settings read with the app password."""
    try:
        user_settings = user.settings
    except ObjectDoesNotExist:
        user_settings = None
    return UserCalendar.of(user, user_settings=user_settings).tzinfo


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def _precondition_fails(request, resource) -> bool:
    """If-Match and If-None-Match (RFC 9110 §13.1): a lost update is refused."""
    if_match = request.headers.get("If-Match")
    if if_match is not None:
        tags = _etags(if_match)
        if resource is None or ("*" not in tags and resource.etag not in tags):
            return True
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None and resource is not None:
        tags = _etags(if_none_match)
        if "*" in tags or resource.etag in tags:
            return request.method not in ("GET", "HEAD")
    return False


@dav_view(OBJECT_METHODS)
def task_object(request, user, name):
    resource = selectors.resources_named(user, [name]).get(name)
    if request.method == "PUT":
        return _put(request, user, name, resource)
    if resource is None:
        return HttpResponse("No such task.", status=404, content_type="text/plain")
    if _precondition_fails(request, resource):
        return HttpResponse(status=412)
    if request.method == "DELETE":
        services.delete_task_of_resource(resource=resource, device=request.app_password.name)
        return HttpResponse(status=204)
    entry = _object_entry(user, resource)
    if request.method == "PROPFIND":
        wanted = dav.requested_props(dav.parse(request.body))
        return dav.multistatus([entry], wanted)
    if resource.etag in _etags(request.headers.get("If-None-Match", "")):
        response = HttpResponse(status=304)
    else:
        body = entry.props[c("calendar-data")]() if request.method == "GET" else ""
        response = HttpResponse(body, content_type=TODO_CONTENT_TYPE)
    response["ETag"] = resource.etag
    response["Last-Modified"] = http_date(resource.task.updated_at.timestamp())
    return response


def _put(request, user, name, resource):
    if _precondition_fails(request, resource):
        return HttpResponse(status=412)
    try:
        change = ical.parse_todo(request.body, tzinfo=_tzinfo(user), now=timezone.now())
    except ical.NotATodo:
        return dav.precondition_failed(c("supported-calendar-component"), status=403)
    except ValidationError:
        return dav.precondition_failed(c("valid-calendar-data"), status=403)
    try:
        if resource is not None:
            if change.uid != resource.uid:
                return dav.precondition_failed(c("no-uid-conflict"), status=409)
            services.update_task_from_todo(resource=resource, change=change)
            created = False
        else:
            if len(name) > MAX_NAME or selectors.resource_with_uid(user, change.uid):
                return dav.precondition_failed(c("no-uid-conflict"), status=409)
            services.create_task_from_todo(user=user, name=name, change=change)
            created = True
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    # No ETag: the stored to-do is not byte for byte the one sent (its DTSTAMP, properties a
    # task does not keep, a repeating task moved on), so the client must fetch it again
    # (RFC 4791 §5.3.4).
    return HttpResponse(status=201 if created else 204)
