"""The README's backup commands, run for real: pg_dump of the database, restored with
pg_restore into a fresh database, holds every object; the report files are a folder to copy."""

import subprocess

import pytest
from django.db import connection

from tests.reports.conftest import build_plan

from .processes import ScratchDatabase, pg_args

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TABLES = [
    "accounts_user",
    "accounts_usersettings",
    "plans_plan",
    "goals_goal",
    "goals_progressentry",
    "tasks_task",
    "reports_reportjob",
    "django_migrations",
]


def counts(cursor_or_db) -> dict[str, int]:
    if isinstance(cursor_or_db, ScratchDatabase):
        return {
            table: int(cursor_or_db.psql("-c", f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in TABLES
        }
    with connection.cursor() as cursor:
        result = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (our own table names)
            result[table] = cursor.fetchone()[0]
        return result


def test_a_pg_dump_restores_into_a_fresh_database_with_every_object(tmp_path, user, other_user):
    build_plan(user, goals=2, tasks_per_goal=5)
    build_plan(other_user, goals=1, tasks_per_goal=2)
    dump = tmp_path / "bakhmach.dump"
    source = connection.settings_dict

    # As the README says: pg_dump --format=custom, then pg_restore into an empty database.
    dump_command = ["pg_dump", *pg_args(source), "--format=custom", "--no-owner"]
    subprocess.run([*dump_command, "--file", str(dump), source["NAME"]], check=True)
    fresh = ScratchDatabase(source, "restored")
    try:
        restore_command = ["pg_restore", *pg_args(source), "--no-owner", "--exit-on-error"]
        subprocess.run([*restore_command, "--dbname", fresh.name, str(dump)], check=True)
        assert counts(fresh) == counts(connection)
        assert counts(fresh)["tasks_task"] == 12
        emails = fresh.psql("-c", "SELECT email FROM accounts_user ORDER BY email").split()
        assert emails == sorted([user.email, other_user.email])
    finally:
        fresh.drop()
