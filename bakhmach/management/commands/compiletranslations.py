"""Compile every .po catalog of the project into its .mo, with polib (no gettext needed).

Django's own `compilemessages` needs GNU gettext's msgfmt, which a fresh machine or the slim
Docker image lacks; the .mo files are build output (not committed), so every make target that
serves or tests the app runs this first. A catalog is compiled only when its .mo is older.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SKIPPED = {".venv", "node_modules", "var", "staticfiles", ".git"}


def catalogs(root: Path):
    """Every `<…>/locale/<language>/LC_MESSAGES/*.po` of the project."""
    for po in sorted(root.glob("**/locale/*/LC_MESSAGES/*.po")):
        if not SKIPPED.intersection(po.relative_to(root).parts):
            yield po


class Command(BaseCommand):
    help = "Compile the project's .po catalogs into .mo files (with polib)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile even if up to date.")

    def handle(self, *args, force=False, **options):
        compiled = 0
        for po_path in catalogs(Path(settings.BASE_DIR)):
            mo_path = po_path.with_suffix(".mo")
            if (
                not force
                and mo_path.exists()
                and mo_path.stat().st_mtime >= po_path.stat().st_mtime
            ):
                continue
            try:
                catalog = polib.pofile(str(po_path))
            except (OSError, ValueError) as error:
                raise CommandError(f"{po_path}: {error}") from error
            catalog.save_as_mofile(str(mo_path))
            compiled += 1
        self.stdout.write(f"Compiled {compiled} catalog(s).")
