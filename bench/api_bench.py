"""Throughput and latency of the list endpoints, against gunicorn and PostgreSQL.

    .venv/bin/python bench/api_bench.py [--tasks 10000] [--workers 4] [--clients 16]

Fills the database `bk_bench` (created if missing) with `seed_demo --reset --tasks N`, starts
gunicorn on a free port of 127.0.0.1 in production mode (DEBUG off), then sends a bounded number
of GET requests to each endpoint from a pool of concurrent clients, each request carrying the demo
user's JWT, and prints requests/second and p50/p95/p99 latency. gunicorn is stopped at the end.
Only 127.0.0.1 is contacted. Run it on demand; it is not part of the test suite.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
ENDPOINTS = [
    "/api/tasks",
    "/api/goals",
    "/api/pdps",
    "/api/tasks?overdue=true&ordering=-priority",
    "/api/tasks?page=400",
]
JWT_FOR_DEMO_USER = """
from rest_framework_simplejwt.tokens import RefreshToken
from accounts.models import User
from plans.management.commands.seed_demo import DEMO_EMAIL
print(RefreshToken.for_user(User.objects.get(email=DEMO_EMAIL)).access_token)
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bk_bench", help="PostgreSQL database to fill")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument("--tasks", type=int, default=10_000, help="generated tasks (seed_demo)")
    parser.add_argument("--workers", type=int, default=4, choices=range(2, 5), metavar="2-4")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (max 64)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    parser.add_argument("--max-seconds", type=float, default=60, help="time cap per endpoint")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the filled database")
    args = parser.parse_args()
    args.clients = max(1, min(args.clients, 64))
    args.requests = max(1, min(args.requests, 20_000))
    return args


def ensure_database(server_url, name):
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout


def wait_until_up(port, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz in time")


def timed_get(port, path, headers):
    # A fresh connection per request: gunicorn's sync workers close each one after answering.
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        conn.close()
    return time.perf_counter() - started, status


def measure(port, path, headers, clients, total, max_seconds):
    deadline = time.monotonic() + max_seconds

    def one(_):
        if time.monotonic() > deadline:
            return None
        return timed_get(port, path, headers)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = [result for result in pool.map(one, range(total)) if result is not None]
    elapsed = time.perf_counter() - started
    latencies = sorted(seconds for seconds, _ in results)
    errors = sum(1 for _, status in results if status != 200)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "requests": len(results),
        "errors": errors,
        "rps": len(results) / elapsed,
        "p50": cuts[49] * 1000,
        "p95": cuts[94] * 1000,
        "p99": cuts[98] * 1000,
    }


def main():
    args = parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "false",
        "JWT_ACCESS_MINUTES": "120",
        "LOG_LEVEL": "WARNING",
        # One user sends every request: measure the API, not the per-user limit. A per-second
        # window keeps the throttle's history (read and written on each request) short.
        "API_USER_THROTTLE_RATE": "1000000/s",
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):  # local-memory cache, no broker needed
        env.pop(name, None)

    if not args.skip_seed:
        ensure_database(args.pg, args.database)
        print(f"Migrating and seeding {args.database} with {args.tasks} tasks ...", flush=True)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "seed_demo", "--reset", "--tasks", str(args.tasks))
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("ANALYZE")  # planner statistics for the freshly bulk-loaded rows
    token = manage(env, "shell", "-c", JWT_FOR_DEMO_USER, capture=True).strip().splitlines()[-1]
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}

    port = free_port()
    gunicorn = subprocess.Popen(
        [GUNICORN, "bakhmach.wsgi", "--workers", str(args.workers), "--bind", f"{HOST}:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(port, gunicorn)
        print(
            f"gunicorn: {args.workers} sync workers on {HOST}:{port}; {args.clients} clients, "
            f"up to {args.requests} requests or {args.max_seconds:.0f} s per endpoint\n"
        )
        print(
            f"{'endpoint':45} {'requests':>8} {'errors':>6} {'req/s':>8} "
            f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        )
        for path in ENDPOINTS:
            measure(port, path, headers, args.clients, min(100, args.requests), 10)  # warm-up
            row = measure(port, path, headers, args.clients, args.requests, args.max_seconds)
            print(
                f"{path:45} {row['requests']:8d} {row['errors']:6d} {row['rps']:8.1f} "
                f"{row['p50']:8.1f} {row['p95']:8.1f} {row['p99']:8.1f}",
                flush=True,
            )
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=15)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
