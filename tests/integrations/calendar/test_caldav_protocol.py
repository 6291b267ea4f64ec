"""CalDAV requests as clients send them, through Django's test client: the protocol's edges,
ownership, and the query count of a REPORT."""

import base64
import datetime as dt
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse

from integrations.calendar import services
from integrations.calendar.models import TaskResource
from tasks import services as task_services
from tasks.factories import TaskFactory
from tasks.models import Task

pytestmark = pytest.mark.django_db

DAV = "{DAV:}"
CAL = "{urn:ietf:params:xml:ns:caldav}"
DUE = dt.date(2026, 12, 10)


@pytest.fixture
def dav(client, user, app_password):
    """`dav(method, path, body="", **headers)`: a request with the app password."""
    credentials = base64.b64encode(f"{user.email}:{app_password[1]}".encode()).decode()

    def send(method, path, body="", **headers):
        return client.generic(
            method,
            path,
            body,
            content_type=headers.pop("content_type", "application/xml"),
            headers={"Authorization": f"Basic {credentials}", **headers},
        )

    return send


@pytest.fixture
def tasks_url(user):
    return reverse("calendar_sync:dav-tasks", args=[user.pk])


def todo_body(uid, summary="From a phone", **props) -> str:
    lines = [f"{name.upper()}:{value}" for name, value in props.items()]
    return "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            "BEGIN:VTODO",
            f"UID:{uid}",
            "DTSTAMP:20261201T100000Z",
            f"SUMMARY:{summary}",
            *lines,
            "END:VTODO",
            "END:VCALENDAR",
            "",
        ]
    )


def parse_xml(body: bytes) -> ET.Element:
    return ET.fromstring(body)  # noqa: S314 - the server under test wrote it


def put(dav, url, body, **headers):
    return dav("PUT", url, body, content_type="text/calendar", **headers)


def responses(response) -> dict[str, ET.Element]:
    assert response.status_code == 207, response.content
    root = parse_xml(response.content)
    return {node.findtext(f"{DAV}href"): node for node in root.findall(f"{DAV}response")}


QUERY = """<?xml version="1.0"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:getetag/><c:calendar-data/></d:prop>
  <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VTODO">{inner}
  </c:comp-filter></c:comp-filter></c:filter>
</c:calendar-query>"""


def test_well_known_redirects_every_method_to_the_service(client):
    for method in ("GET", "PROPFIND"):
        response = client.generic(method, "/.well-known/caldav")
        assert response.status_code == 301
        assert response["Location"] == "/dav/"


def test_without_or_with_wrong_credentials_a_401_asks_for_basic(client, user, app_password):
    assert client.generic("PROPFIND", "/dav/").status_code == 401
    wrong = base64.b64encode(f"{user.email}:nope".encode()).decode()
    response = client.generic("PROPFIND", "/dav/", headers={"Authorization": f"Basic {wrong}"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Basic realm="Bakhmach CalDAV"')
    garbage = client.generic("PROPFIND", "/dav/", headers={"Authorization": "Basic !!!"})
    assert garbage.status_code == 401


def test_the_password_is_accepted_however_it_is_typed(client, user, app_password):
    typed = app_password[1].upper().replace("-", " ")
    credentials = base64.b64encode(f"{user.email.upper()}:{typed}".encode()).decode()
    response = client.generic(
        "PROPFIND", "/dav/", headers={"Authorization": f"Basic {credentials}", "Depth": "0"}
    )
    assert response.status_code == 207


def test_another_users_password_does_not_open_this_users_name(client, user, other_user):
    _, password = services.create_app_password(user=other_user, name="Theirs")
    credentials = base64.b64encode(f"{user.email}:{password}".encode()).decode()
    response = client.generic(
        "PROPFIND", "/dav/", headers={"Authorization": f"Basic {credentials}"}
    )
    assert response.status_code == 401


def test_options_announce_calendar_access(client):
    response = client.options("/dav/")
    assert response.status_code == 200
    assert "calendar-access" in response["DAV"]


def test_the_principal_names_the_home_and_the_home_lists_the_task_list(dav, user, tasks_url):
    found = responses(dav("PROPFIND", "/dav/", Depth="0"))
    principal = reverse("calendar_sync:dav-principal", args=[user.pk])
    assert found["/dav/"].findtext(f".//{DAV}current-user-principal/{DAV}href") == principal
    home = reverse("calendar_sync:dav-home", args=[user.pk])
    props = responses(dav("PROPFIND", principal, Depth="0"))[principal]
    assert props.findtext(f".//{CAL}calendar-home-set/{DAV}href") == home

    listing = responses(dav("PROPFIND", home, Depth="1"))
    assert set(listing) == {home, tasks_url}
    collection = listing[tasks_url]
    assert collection.find(f".//{DAV}resourcetype/{CAL}calendar") is not None
    comps = collection.findall(f".//{CAL}supported-calendar-component-set/{CAL}comp")
    assert [comp.get("name") for comp in comps] == ["VTODO"]
    assert collection.findtext(f".//{DAV}sync-token").startswith("urn:bakhmach:sync:")


def test_unknown_properties_are_reported_missing(dav, tasks_url):
    body = (
        '<d:propfind xmlns:d="DAV:" xmlns:x="urn:x">'
        "<d:prop><d:displayname/><x:nope/></d:prop></d:propfind>"
    )
    (entry,) = responses(dav("PROPFIND", tasks_url, body, Depth="0")).values()
    statuses = {
        propstat.findtext(f"{DAV}status"): [child.tag for child in propstat.find(f"{DAV}prop")]
        for propstat in entry.findall(f"{DAV}propstat")
    }
    assert statuses == {
        "HTTP/1.1 200 OK": [f"{DAV}displayname"],
        "HTTP/1.1 404 Not Found": ["{urn:x}nope"],
    }


def test_malformed_or_entity_laden_xml_is_a_400(dav, tasks_url):
    assert dav("PROPFIND", tasks_url, "<d:propfind xmlns:d='DAV:'>").status_code == 400
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    assert dav("REPORT", tasks_url, bomb).status_code == 400
    assert dav("REPORT", tasks_url, "").status_code == 400


def test_calendar_query_filters_open_and_due_todos(dav, user, tasks_url):
    due = TaskFactory(user=user, title="Due soon", due_date=DUE)
    TaskFactory(user=user, title="Undated")
    done = TaskFactory(user=user, title="Done", due_date=DUE)
    done.complete()

    open_only = '<c:prop-filter name="COMPLETED"><c:is-not-defined/></c:prop-filter>'
    found = responses(dav("REPORT", tasks_url, QUERY.format(inner=open_only), Depth="1"))
    assert len(found) == 2

    in_range = '<c:time-range start="20261210T000000Z" end="20261211T000000Z"/>'
    found = responses(dav("REPORT", tasks_url, QUERY.format(inner=in_range + open_only)))
    assert list(found) == [f"{tasks_url}{due.pk}.ics"]

    by_title = '<c:prop-filter name="SUMMARY"><c:text-match>due SOON</c:text-match></c:prop-filter>'
    (entry,) = responses(dav("REPORT", tasks_url, QUERY.format(inner=by_title))).values()
    data = entry.findtext(f".//{CAL}calendar-data")
    assert str(icalendar.Calendar.from_ical(data).walk("VTODO")[0]["summary"]) == "Due soon"


def test_multiget_answers_each_href_and_404s_the_unknown(dav, user, other_user, tasks_url):
    mine = TaskFactory(user=user)
    theirs = TaskFactory(user=other_user)
    hrefs = [f"{tasks_url}{mine.pk}.ics", f"{tasks_url}{theirs.pk}.ics", f"{tasks_url}x.ics"]
    body = (
        '<c:calendar-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
        "<d:prop><d:getetag/><c:calendar-data/></d:prop>"
        + "".join(f"<d:href>{href}</d:href>" for href in hrefs)
        + "</c:calendar-multiget>"
    )
    found = responses(dav("REPORT", tasks_url, body))
    assert found[hrefs[0]].find(f".//{CAL}calendar-data").text.startswith("BEGIN:VCALENDAR")
    for missing in hrefs[1:]:
        assert found[missing].findtext(f"{DAV}status") == "HTTP/1.1 404 Not Found"


def sync_body(token="") -> str:
    return (
        '<d:sync-collection xmlns:d="DAV:"><d:sync-token>'
        f"{token}</d:sync-token><d:sync-level>1</d:sync-level>"
        "<d:prop><d:getetag/></d:prop></d:sync-collection>"
    )


def test_an_unknown_sync_token_asks_the_client_to_start_over(dav, tasks_url):
    response = dav("REPORT", tasks_url, sync_body("urn:bakhmach:sync:forgotten"))
    assert response.status_code == 403
    assert b"valid-sync-token" in response.content


@pytest.mark.parametrize("count", [5, 1000])
def test_a_report_costs_the_same_queries_for_5_or_1000_tasks(
    dav, user, tasks_url, count, django_assert_num_queries
):
    Task.objects.bulk_create(Task(user=user, title=f"Task {n}", due_date=DUE) for n in range(count))
    open_only = '<c:prop-filter name="COMPLETED"><c:is-not-defined/></c:prop-filter>'
    dav("PROPFIND", "/dav/")  # the device's "last used" is written at most once a minute

    # The app password with its user and settings; its use noted; the tasks with their names.
    with django_assert_num_queries(3):
        found = responses(dav("REPORT", tasks_url, QUERY.format(inner=open_only)))
    assert len(found) == count

    # As above, then the token's state read, the new state upserted and old ones pruned (each
    # write in a savepoint of its own).
    TaskFactory(user=user)
    token = parse_xml(dav("REPORT", tasks_url, sync_body()).content).findtext(f"{DAV}sync-token")
    with django_assert_num_queries(8):
        found = responses(dav("REPORT", tasks_url, sync_body(token)))
    assert found == {}


def test_put_with_if_none_match_star_does_not_overwrite(dav, user, tasks_url):
    task = TaskFactory(user=user, title="Mine")
    url = f"{tasks_url}{task.pk}.ics"
    body = todo_body(f"{task.pk}@bakhmach", "Overwritten")
    response = dav("PUT", url, body, content_type="text/calendar", If_None_Match="*")
    assert response.status_code == 412
    task.refresh_from_db()
    assert task.title == "Mine"


def test_put_and_delete_follow_if_match(dav, user, tasks_url):
    task = TaskFactory(user=user, title="Mine")
    url = f"{tasks_url}{task.pk}.ics"
    etag = dav("GET", url)["ETag"]
    body = todo_body(f"{task.pk}@bakhmach", "Renamed", due="20261224")

    response = dav("PUT", url, body, content_type="text/calendar", If_Match=etag)
    assert response.status_code == 204
    task.refresh_from_db()
    assert (task.title, task.due_date) == ("Renamed", dt.date(2026, 12, 24))
    assert not response.has_header("ETag")  # what is stored differs: the client fetches it
    new_etag = dav("GET", url)["ETag"]
    assert new_etag != etag

    assert dav("DELETE", url, If_Match=etag).status_code == 412
    assert dav("DELETE", url, If_Match=new_etag).status_code == 204
    assert not Task.objects.filter(pk=task.pk).exists()
    assert dav("GET", url).status_code == 404


def test_get_answers_304_to_its_etag(dav, user, tasks_url):
    task = TaskFactory(user=user)
    url = f"{tasks_url}{task.pk}.ics"
    first = dav("GET", url)
    assert first["Content-Type"].startswith("text/calendar")
    assert dav("GET", url, If_None_Match=first["ETag"]).status_code == 304


def test_a_completed_todo_keeps_its_completion_time(dav, user, tasks_url):
    body = todo_body(
        "done-1", "Done on the phone", status="COMPLETED", completed="20261201T080000Z"
    )
    assert (
        dav("PUT", f"{tasks_url}done-1.ics", body, content_type="text/calendar").status_code == 201
    )
    task = Task.objects.get(user=user)
    assert task.completed_at == dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)


def test_a_date_time_due_is_read_in_the_users_time_zone(dav, user, tasks_url):
    user.settings.timezone = "Europe/Kyiv"
    user.settings.save()
    body = todo_body("late-1", "Late call", due="20261210T230000Z")
    dav("PUT", f"{tasks_url}late-1.ics", body, content_type="text/calendar")
    task = Task.objects.get(user=user)
    assert (task.due_date, task.due_time) == (dt.date(2026, 12, 11), dt.time(1, 0))  # Kyiv

    (todo,) = icalendar.Calendar.from_ical(dav("GET", f"{tasks_url}late-1.ics").content).walk(
        "VTODO"
    )
    assert todo["due"].params["TZID"] == "Europe/Kyiv"
    assert todo["due"].dt == dt.datetime(2026, 12, 11, 1, 0, tzinfo=ZoneInfo("Europe/Kyiv"))


def test_completing_a_repeating_task_moves_it_to_its_next_date(dav, user, tasks_url):
    task = task_services.create_task(
        user=user, title="Water the plants", due_date=DUE, recurrence="FREQ=DAILY"
    )
    body = todo_body(f"{task.pk}@bakhmach", task.title, status="COMPLETED", due="20261210")

    assert put(dav, f"{tasks_url}{task.pk}.ics", body).status_code == 204

    task.refresh_from_db()
    assert not task.is_completed
    assert task.due_date > DUE
    assert task.completions.count() == 1


def test_events_invalid_data_and_uid_clashes_are_refused(dav, user, tasks_url):
    event = todo_body("e-1").replace("VTODO", "VEVENT")
    response = dav("PUT", f"{tasks_url}e-1.ics", event, content_type="text/calendar")
    assert response.status_code == 403
    assert b"supported-calendar-component" in response.content

    garbage = dav("PUT", f"{tasks_url}g.ics", "hello", content_type="text/calendar")
    assert garbage.status_code == 403
    assert b"valid-calendar-data" in garbage.content

    dav("PUT", f"{tasks_url}a.ics", todo_body("same"), content_type="text/calendar")
    clash = dav("PUT", f"{tasks_url}b.ics", todo_body("same"), content_type="text/calendar")
    assert clash.status_code == 409
    too_long = dav(
        "PUT", f"{tasks_url}c.ics", todo_body("c", "x" * 300), content_type="text/calendar"
    )
    assert too_long.status_code == 400
    assert Task.objects.filter(user=user).count() == 1
    assert TaskResource.objects.get().name == "a.ics"


def test_a_todo_without_a_title_still_becomes_a_task(dav, user, tasks_url):
    body = todo_body("blank", "")
    assert (
        dav("PUT", f"{tasks_url}blank.ics", body, content_type="text/calendar").status_code == 201
    )
    assert Task.objects.get(user=user).title == "Untitled task"


def test_proppatch_is_refused_per_property(dav, tasks_url):
    body = (
        '<d:propertyupdate xmlns:d="DAV:"><d:set><d:prop><d:displayname>Mine</d:displayname>'
        "</d:prop></d:set></d:propertyupdate>"
    )
    (entry,) = responses(dav("PROPPATCH", tasks_url, body)).values()
    assert entry.findtext(f".//{DAV}status") == "HTTP/1.1 403 Forbidden"


def test_other_users_paths_and_objects_are_404(dav, other_user):
    theirs = TaskFactory(user=other_user)
    their_list = reverse("calendar_sync:dav-tasks", args=[other_user.pk])
    assert dav("PROPFIND", their_list).status_code == 404
    assert dav("GET", f"{their_list}{theirs.pk}.ics").status_code == 404
    assert dav("DELETE", f"{their_list}{theirs.pk}.ics").status_code == 404
    assert Task.objects.filter(pk=theirs.pk).exists()


def test_unsupported_methods_are_405(dav, tasks_url):
    assert dav("MKCALENDAR", tasks_url).status_code == 405
    assert dav("POST", "/dav/").status_code == 405


def test_a_deactivated_account_cannot_sync(client, user, app_password):
    user.mark_deleted()
    credentials = base64.b64encode(f"{user.email}:{app_password[1]}".encode()).decode()
    response = client.generic(
        "PROPFIND", "/dav/", headers={"Authorization": f"Basic {credentials}"}
    )
    assert response.status_code == 401


def test_changes_from_a_client_go_through_the_task_services(dav, user, tasks_url):
    """A completion from CalDAV is a completion like any other: the first time is kept."""
    task = TaskFactory(user=user)
    task_services.complete_task(task=task)
    first = Task.objects.get(pk=task.pk).completed_at
    body = todo_body(f"{task.pk}@bakhmach", task.title, status="COMPLETED")
    dav("PUT", f"{tasks_url}{task.pk}.ics", body, content_type="text/calendar")
    assert Task.objects.get(pk=task.pk).completed_at == first


def test_repeated_wrong_passwords_from_one_address_are_refused(client, user, app_password):
    wrong = base64.b64encode(f"{user.email}:guess".encode()).decode()
    right = base64.b64encode(f"{user.email}:{app_password[1]}".encode()).decode()
    for _ in range(20):
        response = client.generic("PROPFIND", "/dav/", headers={"Authorization": f"Basic {wrong}"})
        assert response.status_code == 401

    response = client.generic("PROPFIND", "/dav/", headers={"Authorization": f"Basic {right}"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    elsewhere = client.generic(
        "PROPFIND", "/dav/", headers={"Authorization": f"Basic {right}"}, REMOTE_ADDR="10.0.0.9"
    )
    assert elsewhere.status_code == 207
