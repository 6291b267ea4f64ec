"""A heartbeat of each Celery worker, so that a dead or disconnected worker shows.

Each worker's consumer writes the time into the shared cache every `INTERVAL` seconds while it
is connected to the broker (the timer entry belongs to the connection: a worker that lost the
broker, hangs or died stops beating). `/readyz` and `/metrics` read the newest beat. Without a
shared cache (the embedded default's local-memory cache is per process) nothing can be seen
from the web process, and the check says so.
"""

import logging
import time

from celery import bootsteps
from django.conf import settings
from django.core.cache import cache
from kombu import Connection
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

INTERVAL = 10  # seconds between beats
STALE_AFTER = 60  # seconds without a beat after which a worker counts as gone
KEY = "worker-heartbeats"


def beat(hostname: str, *, now: float | None = None) -> None:
    """Record that `hostname` is alive and consuming; forget workers silent for an hour."""
    now = time.time() if now is None else now
    try:
        beats = cache.get(KEY) or {}
        beats = {name: seen for name, seen in beats.items() if now - seen < 3600}
        beats[hostname] = now
        cache.set(KEY, beats, timeout=3600)
    except Exception:  # a cache outage must not stop the worker; the check then shows it
        logger.warning("worker heartbeat could not be written", exc_info=True)


def last_beats() -> dict[str, float]:
    """Each known worker's last beat (Unix time). Raises if the cache cannot be read."""
    return cache.get(KEY) or {}


def shared() -> bool:
    """Whether the web process can see the workers' beats (a cache shared between processes)."""
    return bool(settings.REDIS_URL)


def status(*, now: float | None = None) -> tuple[bool, str]:
    """(alive, description) of the workers, for the readiness check."""
    if not shared():
        return True, "unknown: no shared cache (REDIS_URL) to read worker heartbeats from"
    now = time.time() if now is None else now
    beats = last_beats()
    if not beats:
        return False, "no worker heartbeat seen"
    age = now - max(beats.values())
    if age > STALE_AFTER:
        return False, f"no worker heartbeat for {age:.0f} s"
    return True, "ok"


class Heartbeat(bootsteps.StartStopStep):
    """A consumer step: beats as soon as the consumer is connected, then every INTERVAL."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self.timer_entry = None

    def start(self, parent):
        beat(parent.hostname)
        self.timer_entry = parent.timer.call_repeatedly(INTERVAL, beat, (parent.hostname,))

    def stop(self, parent):
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None

    shutdown = stop


class WorkerCollector:
    """/metrics: seconds since the newest worker heartbeat, workers beating, broker backlog."""

    def collect(self):
        try:
            beats = last_beats() if shared() else {}
        except Exception:  # the cache is down: no heartbeat can be read
            beats = {}
        now = time.time()
        alive = sum(1 for seen in beats.values() if now - seen <= STALE_AFTER)
        yield GaugeMetricFamily(
            "bakhmach_workers_alive", "Celery workers whose heartbeat is recent.", value=alive
        )
        if beats:
            yield GaugeMetricFamily(
                "bakhmach_worker_heartbeat_age_seconds",
                "Seconds since the newest heartbeat of any Celery worker.",
                value=now - max(beats.values()),
            )
        backlog = broker_queue_length()
        if backlog is not None:
            queue = GaugeMetricFamily(
                "bakhmach_broker_queue_length",
                "Messages waiting in the broker's default queue.",
                labels=["queue"],
            )
            queue.add_metric(["celery"], backlog)
            yield queue


def broker_queue_length() -> int | None:
    """Messages waiting in the default queue of a Redis broker; None for other brokers or
    when it does not answer."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    try:
        with Connection(url, connect_timeout=1) as conn:
            return conn.default_channel.client.llen("celery")
    except Exception:  # the broker is down: readiness reports that
        return None
