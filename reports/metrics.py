"""/metrics for the report jobs: how many in each state, how many wait, how long they take.

Read from the database at each scrape, so the figures are those of every web and worker
process together.
"""

from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily

from lib import metrics

from .models import ReportJob, Status

DURATION_BUCKETS = (1, 5, 15, 30, 60, 120, 300)
DURATION_WINDOW = timedelta(hours=1)


class ReportJobCollector:
    def collect(self):
        counts = dict(
            ReportJob.objects.order_by().values_list("status").annotate(count=Count("pk"))
        )
        jobs = GaugeMetricFamily(
            "bakhmach_report_jobs", "Report jobs kept, by status.", labels=["status"]
        )
        for status in Status.values:
            jobs.add_metric([status], counts.get(status, 0))
        yield jobs
        yield metrics.gauge(
            "bakhmach_report_queue_depth",
            "Report jobs queued and not yet started by a worker.",
            counts.get(Status.QUEUED, 0),
        )
        yield self._durations()

    def _durations(self):
        finished = ReportJob.objects.filter(
            status__in=(Status.READY, Status.FAILED),
            started_at__isnull=False,
            finished_at__gte=timezone.now() - DURATION_WINDOW,
        ).annotate(
            duration=ExpressionWrapper(
                F("finished_at") - F("started_at"), output_field=DurationField()
            )
        )
        figures = finished.aggregate(
            count=Count("pk"),
            total=Sum("duration"),
            **{
                f"le_{bucket}": Count("pk", filter=Q(duration__lte=timedelta(seconds=bucket)))
                for bucket in DURATION_BUCKETS
            },
        )
        buckets = [(str(float(b)), figures[f"le_{b}"]) for b in DURATION_BUCKETS]
        buckets.append(("+Inf", figures["count"]))
        total = figures["total"].total_seconds() if figures["total"] else 0.0
        family = HistogramMetricFamily(
            "bakhmach_report_job_duration_seconds",
            "Time from start to finish of the report jobs finished in the last hour.",
        )
        family.add_metric([], buckets, total)
        return family
