"""`make run`: the development server and a Celery worker (with beat), stopped together.

Each child runs in a session of its own, so a signal to the terminal's process group (Ctrl-C,
or SIGTERM to `make`'s group) reaches only this supervisor, which stops each child exactly
once: the worker's main process gets SIGTERM (a warm shutdown), runserver's whole group (its
autoreloader and the serving child) gets SIGINT. A child still running after the grace period
is killed. If either child exits by itself, the other is stopped too.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

GRACE_SECONDS = 15


class Command(BaseCommand):
    help = "Run the development server and its Celery worker until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port, **options):
        python = sys.executable
        celery = str(Path(python).with_name("celery"))
        schedule = str(settings.VAR_DIR / "celerybeat-schedule")
        worker = ["-A", "bakhmach", "worker", "--beat", "-s", schedule, "--concurrency", "2"]
        self.children = {
            "worker": self._start([celery, *worker, "--loglevel", "INFO"]),
            "server": self._start([python, "manage.py", "runserver", f"127.0.0.1:{port}"]),
        }
        self.stopping = False
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)
        while not self.stopping:
            exited = [name for name, child in self.children.items() if child.poll() is not None]
            if exited:
                self.stderr.write(f"The {exited[0]} stopped; stopping the rest.")
                break
            time.sleep(0.2)
        self._stop_all()

    def _start(self, command):
        # Our own fixed commands, no input in them.
        return subprocess.Popen(command, cwd=settings.BASE_DIR, start_new_session=True)  # noqa: S603

    def _on_signal(self, signum, frame):
        self.stopping = True  # the loop stops the children, once, whatever signals follow

    def _stop_all(self):
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # one stop; repeated signals change nothing
        worker, server = self.children["worker"], self.children["server"]
        _signal(worker, signal.SIGTERM, group=False)
        _signal(server, signal.SIGINT, group=True)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in (server, worker):
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
        for child in (server, worker):
            _signal(child, signal.SIGKILL, group=True)  # whatever is left, pool children too
            child.wait()


def _signal(child: subprocess.Popen, signum: int, *, group: bool) -> None:
    try:
        if group:
            os.killpg(child.pid, signum)
        elif child.poll() is None:
            child.send_signal(signum)
    except ProcessLookupError:
        pass
