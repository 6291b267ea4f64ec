"""The embedded default (SQLite) holds several writers at once: real processes on one file."""

import os
import sqlite3
import subprocess
import sys

from .processes import ROOT

WRITERS = 4
TRANSACTIONS = 60


def run(arguments, environment):
    return subprocess.Popen(
        [sys.executable, *arguments],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_concurrent_writers_on_sqlite_never_see_database_is_locked(tmp_path):
    database = tmp_path / "db.sqlite3"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1"}
    migrate = run(["manage.py", "migrate", "sessions", "--noinput"], environment)
    assert migrate.wait(timeout=120) == 0, migrate.stdout.read()

    writers = [
        run(["-m", "tests.operations.sqlite_writer", f"w{n}", str(TRANSACTIONS)], environment)
        for n in range(WRITERS)
    ]
    outputs = [(writer.wait(timeout=240), writer.stdout.read()) for writer in writers]

    for code, output in outputs:
        assert "database is locked" not in output
        assert code == 0, output[-2000:]
    with sqlite3.connect(database) as check:
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert check.execute("SELECT count(*) FROM django_session").fetchone() == (
            WRITERS * TRANSACTIONS,
        )
