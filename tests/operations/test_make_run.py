"""`make run` starts on the embedded defaults and stops cleanly on SIGTERM and on SIGINT sent
to its process group, as a terminal or a process manager sends them: every process it started
ends, once, within the grace period."""

import os
import shutil
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest

from .processes import ROOT, free_port, wait_for

pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def descendants(pid: int) -> set[int]:
    """Every living process below `pid`."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def serving(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_make_run_stops_everything_it_started_on_a_signal_to_its_group(tmp_path, signum):
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "REQUIRE_SERVICES"}
    }
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    log = tmp_path / "make-run.log"
    started: set[int] = set()
    with log.open("w") as output:
        make = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, like a terminal's foreground job
        )
    try:
        wait_for(lambda: serving(port), timeout=240, what="make run to serve", log=log)
        wait_for(lambda: " ready." in log.read_text(), timeout=60, what="the worker", log=log)
        started = descendants(make.pid)

        os.killpg(make.pid, signum)
        make.wait(timeout=40)

        wait_for(lambda: not any(alive(pid) for pid in started), timeout=20, what="all to end")
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
        for pid in started:  # whatever outlived a failed test
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    text = log.read_text()
    assert "RecursionError" not in text
    assert text.count("Warm shutdown") <= 1
    assert not serving(port)
