"""Every Ukrainian catalog of the repository is complete, not fuzzy, and compiles.

The glob covers each app's `<app>/locale/` and the project's `locale/`, so a catalog added later
is checked without touching this test.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from bakhmach.management.commands.compiletranslations import catalogs

UKRAINIAN_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
ROOT = Path(settings.BASE_DIR)
UKRAINIAN = [path for path in catalogs(ROOT) if path.parts[-3] == "uk"]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_core_catalogs_exist():
    assert {"locale", "accounts", "plans", "goals"} <= {
        path.relative_to(ROOT).parts[0] for path in UKRAINIAN
    }


@pytest.mark.parametrize("path", UKRAINIAN, ids=_name)
def test_catalog_is_complete(path):
    catalog = polib.pofile(str(path))
    assert catalog.metadata.get("Plural-Forms", "").replace(" ", "") == UKRAINIAN_PLURALS.replace(
        " ", ""
    )
    missing = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert missing == [], f"{_name(path)}: untranslated {missing}"
    assert fuzzy == [], f"{_name(path)}: fuzzy {fuzzy}"
    for entry in catalog.translated_entries():
        if entry.msgid_plural:
            forms = [entry.msgstr_plural.get(index, "") for index in range(3)]
            assert all(forms), f"{_name(path)}: {entry.msgid!r} lacks a plural form: {forms}"


@pytest.mark.parametrize("path", UKRAINIAN, ids=_name)
def test_catalog_keeps_the_placeholders(path):
    """A translation names the same %(name)s / {name} placeholders as its source. A plural
    form may also name the count its English singular leaves out: Ukrainian's first form
    serves 21 and 31 too ("Виправте %(count)s проблему")."""
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    for entry in polib.pofile(str(path)).translated_entries():
        source = set(placeholder.findall(entry.msgid))
        if entry.msgid_plural:
            everything = source | set(placeholder.findall(entry.msgid_plural))
            for target in entry.msgstr_plural.values():
                found = set(placeholder.findall(target))
                assert source <= found <= everything, f"{_name(path)}: {entry.msgid!r} → {target!r}"
        else:
            found = set(placeholder.findall(entry.msgstr))
            assert found == source, f"{_name(path)}: {entry.msgid!r} → {entry.msgstr!r}"


def test_every_catalog_compiles():
    """polib reads and writes each .po (a broken one raises), and Django reads the result."""
    call_command("compiletranslations", force=True)
    for path in catalogs(ROOT):
        compiled = polib.mofile(str(path.with_suffix(".mo")))
        assert len(compiled) == len(polib.pofile(str(path)).translated_entries())
