"""Time of the analytics figures of a user with 10,000 tasks, cold and cached (PG + Redis).

    .venv/bin/python bench/analytics_bench.py [--tasks 10000] [--repeat 30] [--skip-seed]

Fills the database `bk_analytics_bench` (created if missing) with `seed_demo --reset --tasks N`,
then, in this process with the production cache (django-redis on REDIS_URL), times for the demo
user: `get_summary`, `get_goal_tracking` and `get_productivity` (this month), each cold (the user's
entries invalidated before every call, so the database computes them) and cached (a hit), and
prints min / median / p95 in milliseconds with the number of queries of one call. Only 127.0.0.1
is contacted. Run it on demand; it is not part of the test suite.
"""

import argparse
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


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bk_analytics_bench", help="database to fill")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/8", help="Redis for the cache")
    parser.add_argument("--tasks", type=int, default=10_000, help="generated tasks (seed_demo)")
    parser.add_argument("--repeat", type=int, default=30, help="timed calls per measurement")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the filled database")
    args = parser.parse_args()
    args.repeat = max(3, min(args.repeat, 1000))
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
    subprocess.run(
        [*manage, "seed_demo", "--reset", "--tasks", str(args.tasks)], env=env, check=True
    )


def timed(call, repeat, before=None):
    """Milliseconds of `repeat` calls of `call` (after `before`, which is not timed)."""
    samples = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(name, samples, queries):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"{name:<34} {ordered[0]:8.2f} {statistics.median(ordered):8.2f} {p95:8.2f} {queries:8d}")


def main():
    args = parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "REDIS_URL": args.redis,
        "CACHE_KEY_PREFIX": "analytics-bench",
        "CELERY_BROKER_URL": "memory://",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789abcdef"),
        "SECURE_SSL_REDIRECT": "0",
    }
    if not args.skip_seed:
        prepare_database(args, env)
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bakhmach.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from analytics.selectors import get_goal_tracking, get_productivity, get_summary
    from lib.user_version import invalidate_user
    from plans.management.commands.seed_demo import DEMO_EMAIL
    from tasks.models import Task

    user = User.objects.get(email=DEMO_EMAIL)
    tasks = Task.objects.owned_by(user).count()
    print(f"User {DEMO_EMAIL}: {tasks} tasks, {user.goals.count()} goals; cache {args.redis}")
    print(f"{'':<34} {'min ms':>8} {'median':>8} {'p95':>8} {'queries':>8}")
    readers = {
        "summary": lambda: get_summary(user=user),
        "goal tracking": lambda: get_goal_tracking(user=user),
        "productivity (this month)": lambda: get_productivity(user=user, period="month"),
    }
    for name, read in readers.items():
        read()  # warm the connection pool and the code paths
        invalidate_user(user.pk)
        with CaptureQueriesContext(connection) as cold_queries:
            read()
        with CaptureQueriesContext(connection) as warm_queries:
            read()
        cold = timed(read, args.repeat, before=lambda: invalidate_user(user.pk))
        report(f"{name}, cold", cold, len(cold_queries))
        read()
        report(f"{name}, cached", timed(read, args.repeat * 10), len(warm_queries))


if __name__ == "__main__":
    main()
