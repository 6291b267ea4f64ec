"""Throughput of the API lists and the pages against a floor, on gunicorn and PostgreSQL.

    .venv/bin/python bench/api_bench.py [--tasks 10000] [--seconds 5] [--rounds 3]
        [--redis redis://127.0.0.1:6379/N] [--growth 1000,10000,100000] [--skip-seed]
    .venv/bin/python bench/api_bench.py --skip-seed --profile /api/tasks   # cProfile, in-process

Fills the database `bk_bench` (created if missing) with `seed_demo --reset --tasks N`, starts
gunicorn (production settings, DEBUG off, plus one route: `bench/floor_urls.py`) on a free port
of 127.0.0.1 and drives it with `wrk`. The floor is a bare view on the same gunicorn and
database that reads 20 rows with one indexed query. Each round measures the floor, then every
endpoint (JWT) and page (session cookie), then the floor again; an endpoint's ratio is its
requests/second over the mean floor of its round, and the table shows medians over rounds.

Then each path runs in-process (Django's test client in one process, no network) to give the
CPU milliseconds a request costs, which varies far less than throughput on a shared machine:
`CPU ms` as the rounds ask (repeated requests: cache hits), `miss ms` with the user's cached
answers invalidated before each request (as after a write).
`--growth` re-seeds the user with each number of tasks and prints `/api/tasks` and a deep page
(`?page=400`, or the last page when there are fewer) against the floor. Only 127.0.0.1 is
contacted. Run it on demand; it is not part of the test suite.
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
FLOOR = "/bench-floor?user={user}"
ENDPOINTS = [  # (path, credentials)
    ("/api/tasks", "jwt"),
    ("/api/tasks?ordering=-priority", "jwt"),
    ("/api/goals", "jwt"),
    ("/api/analytics/summary", "jwt"),
    ("/dashboard", "session"),
    ("/tasks/", "session"),
]
CREDENTIALS = """
from django.conf import settings
from django.test import Client
from rest_framework_simplejwt.tokens import RefreshToken
from accounts.models import User
from bakhmach.management.commands.seed_demo import DEMO_EMAIL
user = User.objects.get(email=DEMO_EMAIL)
client = Client()
client.force_login(user)
token = RefreshToken.for_user(user).access_token
print(user.pk, token, client.cookies[settings.SESSION_COOKIE_NAME].value)
"""
# Runs inside `manage.py shell`: each path N times through the test client, CPU time each.
IN_PROCESS = """
import cProfile, pstats, sys, time
from django.test import Client
from lib.user_version import invalidate_user
paths, n, profile = {paths!r}, {n}, {profile!r}
headers = {{"jwt": {{"HTTP_AUTHORIZATION": "Bearer {token}"}}, "session": {{}}, "none": {{}}}}
client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
for path, kind in paths:
    # Only the page requests carry the session cookie, as under wrk (a JWT request with one
    # would pay allauth's session tracking too).
    client.cookies.clear()
    if kind == "session":
        client.cookies["{cookie_name}"] = "{session}"
    for _ in range(20):
        assert client.get(path, **headers[kind]).status_code == 200, path
    for label, before in (("CPU", None), ("MISS", lambda: invalidate_user("{user}"))):
        # MISS: the user's cached answers invalidated before each request (what a write does)
        profiler = cProfile.Profile() if profile and label == profile else None
        spent = 0.0
        for _ in range(n):
            if before:
                before()
            started = time.process_time()
            if profiler:
                profiler.enable()
            client.get(path, **headers[kind])
            if profiler:
                profiler.disable()
            spent += time.process_time() - started
        if profiler:
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(45)
        print(label, path, spent * 1000 / n)
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bk_bench", help="PostgreSQL database to fill")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="server URL")
    parser.add_argument("--redis", default="", help="Redis URL for the cache (default: local)")
    parser.add_argument("--tasks", type=int, default=10_000, help="generated tasks (seed_demo)")
    parser.add_argument("--workers", type=int, default=2, choices=range(1, 5), metavar="1-4")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (median)")
    parser.add_argument("--cpu-requests", type=int, default=200, help="in-process requests")
    parser.add_argument("--growth", default="", help="task counts for the growth table")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the filled database")
    parser.add_argument("--profile", metavar="PATH", help="only cProfile PATH in-process")
    parser.add_argument("--cpu-only", action="store_true", help="only the in-process CPU ms")
    parser.add_argument(
        "--profile-miss", action="store_true", help="with --profile: profile cache misses"
    )
    return parser.parse_args()


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


def seed(env, args, tasks):
    print(f"Seeding {args.database} with {tasks} tasks ...", flush=True)
    manage(env, "seed_demo", "--reset", "--tasks", str(tasks))
    with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # visibility map and statistics of the bulk-loaded rows


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


def wrk(port, path, headers, args):
    command = ["wrk", "-t2", f"-c{args.clients}", f"-d{args.seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, f"http://{HOST}:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{path} answered errors:\n{out}")

    def ms(label):
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return {"rps": rps, "p50": ms("50%"), "p99": ms("99%")}


def rounds(port, paths, headers, floor, args):
    """{path: [(ratio, row), ...]} over the rounds, each ratio to its own round's floor."""
    results = {path: [] for path, _ in paths}
    for _ in range(args.rounds):
        before = wrk(port, floor, {}, args)
        rows = {path: wrk(port, path, headers[kind], args) for path, kind in paths}
        after = wrk(port, floor, {}, args)
        floor_rps = (before["rps"] + after["rps"]) / 2 or float("nan")
        results.setdefault(floor, []).append((1.0, {**before, "rps": floor_rps}))
        for path, row in rows.items():
            results[path].append((row["rps"] / floor_rps, row))
    return results


def median_row(samples):
    return {
        "ratio": statistics.median(ratio for ratio, _ in samples),
        **{k: statistics.median(row[k] for _, row in samples) for k in ("rps", "p50", "p99")},
    }


def in_process(env, paths, credentials, args, profile=None):
    """{path: CPU ms} of cache hits, and {path: CPU ms} of misses; `profile` ("CPU" or "MISS")
    prints cProfile's table of that kind."""
    user, token, session = credentials
    script = IN_PROCESS.format(
        user=user,
        paths=paths,
        n=args.cpu_requests,
        profile=profile,
        token=token,
        session=session,
        cookie_name="sessionid",
    )
    out = manage(env, "shell", "-c", script, capture=True)
    if profile:
        print(out)
    cpu = {kind: {} for kind in ("CPU", "MISS")}
    for line in out.splitlines():
        kind, _, rest = line.partition(" ")
        if kind in cpu:
            path, value = rest.rsplit(" ", 1)
            cpu[kind][path] = float(value)
    return cpu["CPU"], cpu["MISS"]


def main():
    args = parse_args()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.floor_settings",
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "false",
        "JWT_ACCESS_MINUTES": "120",
        "LOG_LEVEL": "WARNING",
        # One user sends every request: measure the API, not the per-user limit.
        "API_USER_THROTTLE_RATE": "1000000/s",
    }
    env.pop("CELERY_BROKER_URL", None)
    env.pop("REDIS_URL", None)
    if args.redis:
        env["REDIS_URL"] = args.redis
    # Production settings serve static files from the manifest: without it every page is a 500.
    manage(env, "collectstatic", "--noinput", "-v", "0")
    if not args.skip_seed:
        ensure_database(args.pg, args.database)
        manage(env, "migrate", "--noinput", "-v", "0")
        seed(env, args, args.tasks)

    def credentials():
        out = manage(env, "shell", "-c", CREDENTIALS, capture=True)
        return out.strip().splitlines()[-1].split()

    creds = credentials()
    user, token, session = creds
    if args.profile:
        kind = "session" if not args.profile.startswith("/api/") else "jwt"
        in_process(env, [(args.profile, kind)], creds, args, "MISS" if args.profile_miss else "CPU")
        return
    if args.cpu_only:
        cpu, miss = in_process(env, [(FLOOR.format(user=user), "none"), *ENDPOINTS], creds, args)
        print(f"{'request':36} {'CPU ms':>7} {'miss ms':>7}")
        for path in cpu:
            print(f"{path:36} {cpu[path]:7.2f} {miss[path]:7.2f}", flush=True)
        return
    # The proxy's header: the session cookie is Secure and the app sees HTTPS.
    headers = {
        "jwt": {"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"},
        "session": {"Cookie": f"sessionid={session}", "X-Forwarded-Proto": "https"},
    }
    floor = FLOOR.format(user=user)

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
            f"gunicorn: {args.workers} sync workers; wrk -t2 -c{args.clients} -d{args.seconds}s; "
            f"{args.rounds} rounds; cache: {'Redis' if args.redis else 'local memory'}\n"
        )
        for path, kind in ENDPOINTS:  # warm-up
            wrk(port, path, headers[kind], argparse.Namespace(**{**vars(args), "seconds": 1}))
        results = rounds(port, ENDPOINTS, headers, floor, args)
        cpu, miss = in_process(env, [(floor, "none"), *ENDPOINTS], creds, args)
        print(
            f"{'request':36} {'req/s':>8} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms':>7}"
            f" {'miss ms':>7}"
        )
        for path in [floor, *(path for path, _ in ENDPOINTS)]:
            row = median_row(results[path])
            label = "floor" if path == floor else path
            print(
                f"{label:36} {row['rps']:8.1f} {row['ratio']:6.3f} {row['p50']:7.1f} "
                f"{row['p99']:7.1f} {cpu.get(path, float('nan')):7.2f} "
                f"{miss.get(path, float('nan')):7.2f}",
                flush=True,
            )
        if args.growth:
            # A hit costs the same at any size by construction: the misses' CPU ms (as after a
            # write) show whether reading the rows grows with the data.
            print(
                f"\n{'tasks':>7} {'floor req/s':>11} {'page 1':>7} {'ratio':>6} {'miss ms':>7} "
                f"{'deep page':>12} {'ratio':>6} {'miss ms':>7}"
            )
            for size in [int(n) for n in args.growth.split(",")]:
                seed(env, args, size)
                creds = credentials()
                user, token, session = creds
                jwt = {"jwt": {"Authorization": f"Bearer {token}"}}
                deep = f"/api/tasks?page={min(400, max(1, size // 20))}"
                paths = [("/api/tasks", "jwt"), (deep, "jwt")]
                results = rounds(port, paths, jwt, FLOOR.format(user=user), args)
                _, miss = in_process(env, paths, creds, args)
                first, last = median_row(results["/api/tasks"]), median_row(results[deep])
                floor_rps = median_row(results[FLOOR.format(user=user)])["rps"]
                print(
                    f"{size:7d} {floor_rps:11.1f} {first['rps']:7.1f} {first['ratio']:6.3f} "
                    f"{miss['/api/tasks']:7.2f} {deep.split('?')[1]:>12} {last['ratio']:6.3f} "
                    f"{miss[deep]:7.2f}",
                    flush=True,
                )
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=15)
        except subprocess.TimeoutExpired:
            gunicorn.kill()


if __name__ == "__main__":
    main()
