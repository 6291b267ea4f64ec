"""Scale-out test: two gunicorn instances behind haproxy, one killed mid-run.

    .venv/bin/python bench/scale_bench.py [--seconds 30] [--clients 8] [--workers 2]

Both instances share the PostgreSQL database `bk_scale` (created and migrated if missing) and a
Redis server of this script's own on a free port (cache, sessions, rate limits). haproxy
(/usr/sbin/haproxy) balances them round-robin on 127.0.0.1 with health checks and retries of
requests that failed to connect. Clients send, for `--seconds`, signed-in requests: the API
with a JWT and the dashboard with a session cookie got once through the balancer (so every
answer from the other instance proves the session is shared). Halfway, one instance is killed
with SIGKILL (master and workers). Then it checks that a login rate limit holds across both
(failures spread over the instances still reach 429) and prints throughput, latency, failures
(before and after the kill) and requests per second per core, beside the bare `/healthz` view.
Only 127.0.0.1 is contacted; everything it starts is stopped. Not part of the test suite.
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
PASSWORD = "scale-bench-violet-otter-91"  # noqa: S105  (a throwaway bench account)
SETUP_USER = f"""
from accounts.models import User
from accounts.services import create_user
from rest_framework_simplejwt.tokens import RefreshToken
user = User.objects.filter(email="scale@example.com").first() or create_user(
    email="scale@example.com", password="{PASSWORD}")
print(RefreshToken.for_user(user).access_token)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port}")


def request(port, method, path, headers=None, body=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return time.perf_counter() - started, response.status, response.headers, data
    except OSError:
        return time.perf_counter() - started, 0, {}, b""
    finally:
        conn.close()


def web_login(port):
    """A session cookie, signed in through the balancer (allauth's login form with CSRF)."""
    _, status, headers, page = request(port, "GET", "/accounts/login/")
    cookies = dict(
        re.findall(r"(csrftoken)=([^;]+)", ",".join(headers.get_all("Set-Cookie") or []))
    )
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not found or "csrftoken" not in cookies:
        raise SystemExit(f"the login page answered {status}: {page[:300]!r}")
    token = found.group(1).decode()
    body = f"login=scale%40example.com&password={PASSWORD}&csrfmiddlewaretoken={token}"
    _, status, headers, _ = request(
        port,
        "POST",
        "/accounts/login/",
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Referer": f"http://{HOST}:{port}/accounts/login/",
        },
        body,
    )
    session = re.search(r"sessionid=([^;]+)", ",".join(headers.get_all("Set-Cookie") or []))
    if status != 302 or not session:
        raise SystemExit(f"web login failed ({status})")
    return session.group(1)


def haproxy_config(port, backends, path):
    servers = "\n".join(
        f"    server app{n} {HOST}:{backend} check inter 1s fall 3 rise 1"
        for n, backend in enumerate(backends)
    )
    path.write_text(
        f"""global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    timeout check 5s
    retries 3
    option redispatch
    retry-on conn-failure empty-response response-timeout
frontend web
    bind {HOST}:{port}
    default_backend apps
backend apps
    balance roundrobin
    option httpchk GET /healthz
    http-request set-header X-Forwarded-For %[src]
{servers}
"""
    )


def load(port, headers_for, seconds, clients, kill_at, on_kill, paths=None):
    results, lock, stop = [], threading.Lock(), time.monotonic() + seconds
    killed = threading.Event()

    def client(number):
        mix = paths or ["/api/tasks", "/dashboard", "/api/analytics/summary"]
        while time.monotonic() < stop:
            path = mix[number % len(mix)]
            number += 1
            seconds_taken, status, _, _ = request(port, "GET", path, headers_for(path))
            with lock:
                results.append((seconds_taken, status, killed.is_set(), path))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if kill_at < seconds:
        time.sleep(max(kill_at - (time.monotonic() - started), 0))
        on_kill()
        killed.set()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def summary(name, results, elapsed):
    latencies = sorted(seconds for seconds, *_ in results)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    failed = [r for r in results if r[1] != 200]
    print(
        f"{name:28} {len(results):7d} req {len(results) / elapsed:8.1f} req/s  "
        f"p50 {cuts[49] * 1000:6.1f} ms  p95 {cuts[94] * 1000:6.1f} ms  "
        f"p99 {cuts[98] * 1000:6.1f} ms  failed {len(failed)}"
    )
    return len(results) / elapsed, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bk_scale")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    args = parser.parse_args()
    if not shutil.which("haproxy") and not Path("/usr/sbin/haproxy").exists():
        raise SystemExit("haproxy is not installed (apt-get install haproxy)")
    haproxy_bin = shutil.which("haproxy") or "/usr/sbin/haproxy"

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [args.database]
        ).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.database)))

    workdir = Path(tempfile.mkdtemp(prefix="scale-bench-"))
    redis_port = free_port()
    processes = []
    try:
        redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
            ],
            stdout=subprocess.DEVNULL,
        )
        processes.append(redis)
        wait_for_port(redis_port)
        env = {
            **os.environ,
            "DATABASE_URL": f"{args.pg}/{args.database}",
            "REDIS_URL": f"redis://{HOST}:{redis_port}/0",
            "CELERY_BROKER_URL": f"redis://{HOST}:{redis_port}/1",
            "DEBUG": "false",
            "SECRET_KEY": "scale-bench-only-secret-key-" + "x" * 40,
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": HOST,
            "LOG_LEVEL": "WARNING",
            "TRUSTED_PROXY_COUNT": "1",
            "API_USER_THROTTLE_RATE": "1000000/s",
            "LOGIN_FAILURE_THROTTLE_RATE": "5/h",
        }
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        # Production serves collected static files (the pages' templates name their hashes).
        subprocess.run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        token = (
            subprocess.run(
                [PYTHON, "manage.py", "shell", "-c", SETUP_USER],
                cwd=ROOT,
                env=env,
                check=True,
                text=True,
                capture_output=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )

        backends = [free_port(), free_port()]
        instances = []
        for port in backends:
            instance = subprocess.Popen(
                [
                    GUNICORN,
                    "bakhmach.wsgi",
                    "--workers",
                    str(args.workers),
                    "--bind",
                    f"{HOST}:{port}",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            processes.append(instance)
            instances.append(instance)
        for port in backends:
            wait_for_port(port)
        balancer_port = free_port()
        config = workdir / "haproxy.cfg"
        haproxy_config(balancer_port, backends, config)
        haproxy = subprocess.Popen(
            [haproxy_bin, "-db", "-f", str(config)], stdout=subprocess.DEVNULL
        )
        processes.append(haproxy)
        wait_for_port(balancer_port)
        deadline = time.monotonic() + 90  # both servers up in haproxy's checks
        while sum(request(balancer_port, "GET", "/healthz")[1] == 200 for _ in range(4)) < 4:
            if time.monotonic() > deadline:
                raise SystemExit("haproxy found no healthy instance")
            time.sleep(1)

        session = web_login(balancer_port)
        api = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        web = {"Cookie": f"sessionid={session}"}

        def headers_for(path):
            return api if path.startswith("/api/") else web

        def kill_one():
            os.killpg(instances[0].pid, signal.SIGKILL)
            print(f"-- killed instance 1 (pid {instances[0].pid}) at {args.seconds / 2:.0f} s")

        bare, bare_elapsed = load(
            balancer_port, lambda path: {}, 5, args.clients, 99, lambda: None, ["/healthz"]
        )
        print(
            f"\n2 instances x {args.workers} workers behind haproxy, {args.clients} clients, "
            f"{os.cpu_count()} cores\n"
        )
        summary("bare view (/healthz)", bare, bare_elapsed)
        results, elapsed = load(
            balancer_port, headers_for, args.seconds, args.clients, args.seconds / 2, kill_one
        )
        rps, failed = summary("signed-in mix", results, elapsed)
        before = [r for r in results if not r[2]]
        after = [r for r in results if r[2]]
        failed_before = sum(r[1] != 200 for r in before)
        failed_after = sum(r[1] != 200 for r in after)
        print(
            f"   before the kill: {len(before)} requests, {failed_before} failed;"
            f" after: {len(after)} requests, {failed_after} failed"
        )
        if failed:
            print(f"   failed statuses: {sorted({r[1] for r in failed})}")
        logged_out = sum(1 for r in results if r[3] == "/dashboard" and r[1] == 302)
        print(f"   dashboard answers that were a login redirect: {logged_out}")

        # A login rate limit across the surviving (and any) instance: 5 failures an hour.
        statuses = []
        for _ in range(7):
            _, status, _, _ = request(
                balancer_port,
                "POST",
                "/api/auth/login",
                {"Content-Type": "application/json"},
                b'{"email": "scale@example.com", "password": "wrong"}',
            )
            statuses.append(status)
        print(f"   login failures, one after another: {statuses}")
        print(f"   per core: {rps / os.cpu_count():.1f} signed-in req/s")
    finally:
        for process in reversed(processes):
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except (ProcessLookupError, PermissionError):
                process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
