"""Real processes for fault tests: a Redis server of the test's own, Celery workers.

Every port is a free ephemeral one, and every process started here is stopped by its owner.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(settings_dict) -> str:
    """A DATABASE_URL naming the database of `settings_dict` (the test database)."""
    user = urllib.parse.quote(settings_dict["USER"] or "")
    password = urllib.parse.quote(settings_dict["PASSWORD"] or "")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


def wait_for(condition, *, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            tail = f"\n{log.read_text()[-4000:]}" if log and log.exists() else ""
            pytest.fail(f"Timed out waiting for {what}{tail}")
        time.sleep(0.1)


class RedisServer:
    """`redis-server` on a free port, without persistence, that a test stops and starts."""

    def __init__(self, directory: Path):
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.directory)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as server:
                server.sendall(b"PING\r\n")
                return server.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Worker:
    """`celery -A bakhmach worker` as a child process, with its log in a file."""

    def __init__(self, log: Path, environment: dict, *, pool: str = "prefork"):
        self.log = log
        command = [
            str(Path(sys.executable).with_name("celery")),
            *("-A", "bakhmach", "worker", "-P", pool, "--loglevel", "INFO"),
            *("--hostname", f"fault-test-{uuid.uuid4().hex[:8]}@%h"),
            "--without-gossip",
            "--without-mingle",
        ]
        if pool == "prefork":
            command += ["--concurrency", "2"]  # one job running, the consumer polling for more
        with log.open("a") as output:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", **environment},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its pool children form a group we can end together
            )
        wait_for(self._ready, timeout=60, what="the worker to start", log=log)

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"The worker exited:\n{self.log.read_text()[-4000:]}")
        return " ready." in self.log.read_text()

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self):
        """`kill -9` of the worker and its pool children, as an out-of-memory killer would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        with contextlib.suppress(ProcessLookupError):  # pool children left behind, if any
            os.killpg(self.process.pid, signal.SIGKILL)


class Gunicorn:
    """`gunicorn bakhmach.wsgi` on a free port, as production runs it."""

    def __init__(self, log: Path, environment: dict, *, workers: int = 1):
        self.port = free_port()
        self.log = log
        with log.open("a") as output:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    *("--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)),
                    *("--access-logfile", "-", "bakhmach.wsgi"),
                ],
                cwd=ROOT,
                env={**os.environ, "SECURE_SSL_REDIRECT": "false", **environment},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self._serving, timeout=60, what="gunicorn to serve", log=log)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serving(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{self.log.read_text()[-4000:]}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def stop(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)


def pg_args(settings_dict) -> list[str]:
    """Connection arguments of pg_dump/psql/createdb for the database of `settings_dict`."""
    return [
        *("-h", settings_dict["HOST"] or "127.0.0.1"),
        *("-p", str(settings_dict["PORT"] or 5432)),
        *("-U", settings_dict["USER"] or "postgres"),
    ]


class ScratchDatabase:
    """A PostgreSQL database of the test's own, next to the test database, dropped after."""

    def __init__(self, settings_dict, suffix: str):
        self.settings_dict = {**settings_dict, "NAME": f"{settings_dict['NAME']}_{suffix}"}
        self.name = self.settings_dict["NAME"]
        self.args = pg_args(settings_dict)
        self.drop()
        subprocess.run(["createdb", *self.args, self.name], check=True)

    @property
    def url(self) -> str:
        return database_url(self.settings_dict)

    def copy_schema_of(self, source_name: str):
        schema = subprocess.run(
            ["pg_dump", *self.args, "--schema-only", "--no-owner", source_name],
            check=True,
            capture_output=True,
        ).stdout
        self.psql(input=schema)

    def psql(self, *arguments, input: bytes | None = None) -> str:
        return subprocess.run(
            ["psql", *self.args, "-v", "ON_ERROR_STOP=1", "-q", "-At", *arguments, self.name],
            check=True,
            capture_output=True,
            input=input,
        ).stdout.decode()

    def drop(self):
        subprocess.run(["dropdb", *self.args, "--if-exists", "--force", self.name], check=True)
