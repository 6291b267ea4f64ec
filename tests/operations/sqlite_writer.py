"""A process of the SQLite concurrency test: transactions that read, then write, in a loop.

Run as `python -m tests.operations.sqlite_writer NAME COUNT` with DATABASE_URL naming a SQLite file.
"""

import datetime
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bakhmach.settings")
django.setup()

from django.contrib.sessions.models import Session  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402


def main(name: str, count: int) -> None:
    expires = timezone.now() + datetime.timedelta(days=1)
    for number in range(count):
        with transaction.atomic():
            seen = Session.objects.count()  # a read first: the lock must be upgraded to write
            Session.objects.create(
                session_key=f"{name}-{number:04d}-{seen}"[:40],
                session_data="x",
                expire_date=expires,
            )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
