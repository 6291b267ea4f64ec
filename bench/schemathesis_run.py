"""A schemathesis run over the whole API schema, as a signed-in user, against gunicorn.

    .venv/bin/python bench/schemathesis_run.py [--max-examples 20] [--workers 2]

Migrates the PostgreSQL database `bk_schemathesis` (created if missing), makes a user with a
plan, goal and task (so that ids exist) and a long-lived access JWT, serves the app with
gunicorn on a free port of 127.0.0.1 with the throttles set high, and runs `st run` on
`/api/schema/` with every check (server errors, undocumented status codes and content types,
schema conformance, ...), printing schemathesis's summary; gunicorn is stopped at the end.
Only 127.0.0.1 is contacted; it is not part of the test suite. `ST=/path/to/st` runs another
schemathesis install (schemathesis's requests transport breaks where urllib3-future replaced
urllib3 in the environment).
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
SETUP = """
from accounts.models import User
from accounts.services import create_user
from plans.services import create_plan
from goals.services import create_goal
from tasks.services import create_task
from rest_framework_simplejwt.tokens import RefreshToken
# A fresh user each run: a previous run may have deleted its account through the API.
User.objects.filter(email="schema@example.com").delete()
user = create_user(email="schema@example.com", password="schema-violet-otter-harbour-91")
plan = create_plan(user=user, title="Plan")
goal = create_goal(user=user, plan=plan, title="Goal")
create_task(user=user, goal=goal, title="Task")
print(RefreshToken.for_user(user).access_token)
"""


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="bk_schemathesis")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--max-examples", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as conn:
        exists = "SELECT 1 FROM pg_database WHERE datname = %s"
        if not conn.execute(exists, [args.database]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.database)))
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "DEBUG": "false",
        "SECRET_KEY": "schemathesis-only-secret-key-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "false",
        "JWT_ACCESS_MINUTES": "240",
        "LOG_LEVEL": "WARNING",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "API_USER_THROTTLE_RATE": "1000000/s",
        "API_ANON_THROTTLE_RATE": "1000000/s",
        "REPORT_THROTTLE_RATE": "1000000/s",
        "AUTH_THROTTLE_RATE": "1000000/s",
        "REPORT_JOBS_PER_HOUR": "1000000",
        "REPORT_MAX_PENDING_PER_USER": "1000000",
    }
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):  # local-memory cache, filesystem broker
        env.pop(name, None)
    manage = [str(BIN / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    setup = subprocess.run(
        [*manage, "shell", "-c", SETUP],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
    )
    token = setup.stdout.strip().splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "bakhmach.wsgi", "--workers", "2", "--bind", f"{HOST}:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        command = [
            os.environ.get("ST", str(BIN / "st")),
            "run",
            f"http://{HOST}:{port}/api/schema/",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "all",
            "--max-examples",
            str(args.max_examples),
            "--workers",
            str(args.workers),
            "--continue-on-failure",
        ]
        return subprocess.run(command, cwd=ROOT, check=False).returncode
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
