# ruff: noqa: RUF001
"""What of a rendered page is still in English: for the tests of pages in Ukrainian.

`untranslated(html)` lists the text nodes and human-facing attributes (placeholder, title,
aria-label, alt, a button's value) that hold a Latin word not on the short allowlist of brand
and format names; `assert_no_untranslated(html)` fails on any. Render the page with Cyrillic
user data, so whatever Latin is left came from the app. Skipped: <script>, <style>, <code>,
<kbd>, <pre>, and any element marked `translate="no"` or with a `lang` other than Ukrainian
(the language switcher's "English", time zone names); email addresses and URLs.
"""

import re
from html.parser import HTMLParser

# Names that stay as they are in Ukrainian text.
ALLOWED = frozenset(
    {
        "Bakhmach",
        "Business",
        "Hub",
        "GitHub",
        "Slack",
        "Google",
        "English",  # the language switcher names each language in itself
        "PDF",
        "CSV",
        "API",
        "REST",
        "JSON",
        "Markdown",
        "JPEG",
        "PNG",
        "WebP",
        "GIF",
        "MVP",
        "TOTP",
        "QR",
        "URL",
        "UTC",
        "iCal",
        "RRULE",  # the iCalendar rule syntax, by its name
        "ZIP",
        "BOM",
        "ISO",
        "Microsoft",
        "Excel",
        "Esc",
        "MB",
        "KB",
        "pull",
        "request",  # "pull request-и": the GitHub term is kept
    }
)
ATTRIBUTES = ("placeholder", "title", "aria-label", "alt", "aria-description")
SKIPPED_TAGS = frozenset({"script", "style", "code", "kbd", "pre", "template"})
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|\b[\w.-]+\.(?:com|org|net|test|local)\b")


def latin_words(text: str) -> list[str]:
    text = EMAIL_OR_URL.sub(" ", text)
    return [word for word in LATIN_WORD.findall(text) if word not in ALLOWED]


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its content skipped
        self.found: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skip = (
            self.skipping
            or tag in SKIPPED_TAGS
            or attributes.get("translate") == "no"
            or attributes.get("lang", "uk") != "uk"
        )
        if not skip:
            names = list(ATTRIBUTES)
            if tag == "input" and attributes.get("type") in {"submit", "button"}:
                names.append("value")  # the button's text
            for name in names:
                value = attributes.get(name) or ""
                if latin_words(value):
                    self.found.append(f'<{tag} {name}="{value}">')
        if tag not in VOID_TAGS:
            self.stack.append(skip)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in VOID_TAGS and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.skipping and latin_words(data):
            self.found.append(data.strip())


def untranslated(html: str) -> list[str]:
    """The English strings left in `html` (the <html> element's `lang` is not judged)."""
    body = html.split("<html", 1)[-1].split(">", 1)[-1] if "<html" in html else html
    finder = _Finder()
    finder.feed(body)
    finder.close()
    return finder.found


def assert_no_untranslated(html: str) -> None:
    found = untranslated(html)
    assert not found, "untranslated strings:\n" + "\n".join(found)
