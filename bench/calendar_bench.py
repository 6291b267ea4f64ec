"""Time of the calendar feed and of CalDAV reports for a user with 1,000 tasks (PostgreSQL).

    .venv/bin/python bench/calendar_bench.py [--tasks 1000] [--repeat 30]

Migrates the database `bk_calendar_bench` (created if missing), makes a fresh user with N due
tasks, a feed URL and an app password, then, in this process through Django's test client
(the whole middleware stack, DEBUG off), times: the feed (200, and 304 to its ETag), a CalDAV
calendar-query REPORT with every to-do's data, a sync-collection REPORT with nothing changed,
and `/healthz`, a bare view, as the yardstick. Prints min / median / p95 in milliseconds, the
ratio of each median to the bare view's and the queries of one request. Only 127.0.0.1 is
contacted. Run it on demand; it is not part of the test suite.
"""

import argparse
import base64
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
QUERY = b"""<?xml version="1.0"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:getetag/><c:calendar-data/></d:prop>
  <c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VTODO"/></c:comp-filter></c:filter>
</c:calendar-query>"""
SYNC = (
    '<d:sync-collection xmlns:d="DAV:"><d:sync-token>{}</d:sync-token>'
    "<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bk_calendar_bench", help="database to use")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument("--tasks", type=int, default=1000, help="due tasks of the user")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per measurement")
    args = parser.parse_args()
    args.repeat = max(3, min(args.repeat, 1000))
    args.tasks = max(1, min(args.tasks, 100_000))
    return args


def prepare_database(args, env):
    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [args.database]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.database)))
    manage = [str(PYTHON), str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)


def timed(request, repeat, status):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = request()
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == status, response.status_code
    return samples


def main():
    args = parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "CELERY_BROKER_URL": "memory://",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789abcdef"),
        "SECURE_SSL_REDIRECT": "0",
    }
    env.pop("REDIS_URL", None)
    prepare_database(args, env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bakhmach.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from integrations.calendar import services
    from tasks.models import Task

    # Django empties the query log as each request starts; keep what the request runs.
    request_started.disconnect(reset_queries)
    User.objects.filter(email="calendar-bench@example.com").delete()
    user = User.objects.create_user(email="calendar-bench@example.com", password=None)
    due = dt.date.today()
    Task.objects.bulk_create(
        Task(user=user, title=f"Task {n}; with, escapes", due_date=due + dt.timedelta(days=n % 90))
        for n in range(args.tasks)
    )
    token = services.rotate_feed(user=user)
    _, password = services.create_app_password(user=user, name="bench")
    basic = base64.b64encode(f"{user.email}:{password}".encode()).decode()
    client = Client(HTTP_HOST="localhost", headers={"Authorization": f"Basic {basic}"})
    feed_url = f"/ics/{token}.ics"
    tasks_url = f"/dav/calendars/{user.pk}/tasks/"
    etag = client.get(feed_url)["ETag"]
    first_sync = client.generic("REPORT", tasks_url, SYNC.format(""), "application/xml")
    sync_token = first_sync.content.decode().rsplit("<d:sync-token>", 1)[1].split("<", 1)[0]

    requests = {
        "bare view (/healthz)": (lambda: client.get("/healthz"), 200),
        "feed": (lambda: client.get(feed_url), 200),
        "feed, unchanged (304)": (
            lambda: client.get(feed_url, headers={"If-None-Match": etag}),
            304,
        ),
        "calendar-query REPORT": (
            lambda: client.generic("REPORT", tasks_url, QUERY, "application/xml"),
            207,
        ),
        "sync-collection, no changes": (
            lambda: client.generic("REPORT", tasks_url, SYNC.format(sync_token), "application/xml"),
            207,
        ),
    }
    print(f"{args.tasks} tasks; {args.repeat} requests each")
    print(f"{'':<30} {'min ms':>8} {'median':>8} {'p95':>8} {'vs bare':>8} {'queries':>8}")
    bare = None
    for name, (request, status) in requests.items():
        request()  # warm up
        with CaptureQueriesContext(connection) as queries:
            request()
        ordered = sorted(timed(request, args.repeat, status))
        median = statistics.median(ordered)
        bare = bare or median
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(
            f"{name:<30} {ordered[0]:8.2f} {median:8.2f} {p95:8.2f} {median / bare:8.1f} "
            f"{len(queries):8d}"
        )
    user.delete()


if __name__ == "__main__":
    main()
