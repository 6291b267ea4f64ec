"""WebDAV/CalDAV XML (RFC 4918, 4791, 6578): reading request bodies, writing multistatus.

Properties are named in Clark notation, `{namespace}name`, as ElementTree does.
"""

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.http import HttpResponse

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
CALSERVER = "http://calendarserver.org/ns/"
APPLE = "http://apple.com/ns/ical/"

for _prefix, _uri in (("d", DAV), ("cal", CALDAV), ("cs", CALSERVER), ("ical", APPLE)):
    ET.register_namespace(_prefix, _uri)


def d(name: str) -> str:
    return f"{{{DAV}}}{name}"


def c(name: str) -> str:
    return f"{{{CALDAV}}}{name}"


class BadRequest(ValueError):
    """A request body that is not the XML the method takes."""


def parse(body: bytes) -> ET.Element | None:
    """The root element of an XML body, None for an empty one.

    Entity declarations are refused outright (no entity expansion attacks, no external
    entities): no DAV client sends a DOCTYPE.
    """
    if not body.strip():
        return None
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise BadRequest("Document type declarations are not accepted.")
    try:
        return ET.fromstring(body)  # noqa: S314 - see above
    except ET.ParseError as exc:
        raise BadRequest(f"The body is not well-formed XML: {exc}") from exc


@dataclass
class PropRequest:
    """Which properties a PROPFIND or REPORT asks for."""

    names: list[str] = field(default_factory=list)
    all: bool = False  # allprop (or an empty PROPFIND)
    names_only: bool = False  # propname


def requested_props(root: ET.Element | None) -> PropRequest:
    """From `<propfind>` or a REPORT's root: its `<prop>`, `<allprop>` or `<propname>`."""
    if root is None:
        return PropRequest(all=True)
    if root.find(d("propname")) is not None:
        return PropRequest(names_only=True)
    prop = root.find(d("prop"))
    if prop is None:
        return PropRequest(all=True)
    return PropRequest(names=[child.tag for child in prop])


# A property value: text, an element (or elements) to nest, or None for "not found here".
PropValue = str | ET.Element | list[ET.Element] | None
# Each property a resource has, with how to get its value (only when it is asked for).
Props = dict[str, Callable[[], PropValue]]


@dataclass
class Entry:
    """One `<response>` of a multistatus: a resource's href and its properties."""

    href: str
    props: Props = field(default_factory=dict)
    status: int | None = None  # a response without properties: 404 for a removed member


def element(tag: str, text: str | None = None, *children: ET.Element) -> ET.Element:
    node = ET.Element(tag)
    if text is not None:
        node.text = text
    node.extend(children)
    return node


def href(url: str) -> ET.Element:
    return element(d("href"), url)


REASONS = {200: "OK", 403: "Forbidden", 404: "Not Found"}
# Left out of an `allprop` answer unless named (RFC 4791 §9.6).
HEAVY = {c("calendar-data")}


def _status(code: int) -> ET.Element:
    return element(d("status"), f"HTTP/1.1 {code} {REASONS[code]}")


def _response(entry: Entry, request: PropRequest) -> ET.Element:
    node = element(d("response"), None, href(entry.href))
    if entry.status is not None:
        node.append(_status(entry.status))
        return node
    found, missing = element(d("prop")), element(d("prop"))
    if request.names_only:
        found.extend(ET.Element(name) for name in entry.props)
    else:
        names = request.names if not request.all else [p for p in entry.props if p not in HEAVY]
        for name in names:
            getter = entry.props.get(name)
            value = getter() if getter else None
            if value is None:
                missing.append(ET.Element(name))
                continue
            prop = ET.SubElement(found, name)
            if isinstance(value, str):
                prop.text = value
            elif isinstance(value, list):
                prop.extend(value)
            else:
                prop.append(value)
    for props, code in ((found, 200), (missing, 404)):
        if len(props):
            node.append(element(d("propstat"), None, props, _status(code)))
    return node


def multistatus(
    entries: Iterable[Entry], request: PropRequest, *, sync_token: str | None = None
) -> HttpResponse:
    root = element(d("multistatus"))
    root.extend(_response(entry, request) for entry in entries)
    if sync_token is not None:
        root.append(element(d("sync-token"), sync_token))
    return xml_response(root, status=207)


def forbidden_props(url: str, names: list[str]) -> HttpResponse:
    """A PROPPATCH answer refusing every property it tried to set or remove."""
    props = element(d("prop"))
    props.extend(ET.Element(name) for name in names)
    response = element(d("response"), None, href(url))
    response.append(element(d("propstat"), None, props, _status(403)))
    return xml_response(element(d("multistatus"), None, response), status=207)


def xml_response(root: ET.Element, *, status: int) -> HttpResponse:
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, status=status, content_type='application/xml; charset="utf-8"')


def precondition_failed(condition: str, *, status: int) -> HttpResponse:
    """An error body naming the precondition a request broke (RFC 4918 §16)."""
    return xml_response(element(d("error"), None, ET.Element(condition)), status=status)
