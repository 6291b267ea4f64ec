"""Prometheus metrics: request counts and latencies by route and status, errors, and what the
apps register (report jobs, queue depth, worker heartbeat), served at /metrics.

With several processes (gunicorn workers) set PROMETHEUS_MULTIPROC_DIR to an empty folder
shared by them: prometheus-client then adds up every process's counters and histograms.
"""

import ipaddress
import os

from django.conf import settings
from django.http import Http404, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import REGISTRY, GaugeMetricFamily

from . import heartbeat

REQUESTS = Histogram(
    "bakhmach_http_request_duration_seconds",
    "Time to answer a request, by route, method and status.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
ERRORS = Counter(
    "bakhmach_http_server_errors_total",
    "Answers with a 5xx status, by route and status.",
    ["route", "status"],
)

_collectors: list = []


def register(collector) -> None:
    """Add a collector (an object with `collect()` yielding metric families), read per scrape."""
    _collectors.append(collector)


def observe(*, route: str, method: str, status: int, seconds: float) -> None:
    REQUESTS.labels(route=route, method=method, status=str(status)).observe(seconds)
    if status >= 500:
        ERRORS.labels(route=route, status=str(status)).inc()


class _Registered:
    def collect(self):
        for collector in _collectors:
            yield from collector.collect()


_REGISTERED = _Registered()
REGISTRY.register(_REGISTERED)
register(heartbeat.WorkerCollector())


def _registry() -> CollectorRegistry:
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY  # this process's metrics, and the registered collectors
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    registry.register(_REGISTERED)
    return registry


def client_address(request) -> str:
    """The caller's address, through as many proxies of ours as TRUSTED_PROXY_COUNT says."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def _allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network) for network in settings.METRICS_ALLOWED_IPS)


def metrics_view(request):
    """GET /metrics, in Prometheus's text format; a 404 to addresses not in METRICS_ALLOWED_IPS."""
    if not _allowed(client_address(request)):
        raise Http404
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


def gauge(name: str, documentation: str, value: float, labels: dict | None = None):
    """A one-sample gauge family, for collectors."""
    family = GaugeMetricFamily(name, documentation, labels=list(labels or {}))
    family.add_metric(list((labels or {}).values()), value)
    return family
