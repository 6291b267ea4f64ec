from django.urls import reverse
from rest_framework import serializers

from .models import Format, ReportJob


class ReportJobSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="Where the owner downloads the file once `status` is ready; null before."
    )

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "format",
            "status",
            "created_at",
            "finished_at",
            "download_url",
            "error",
        ]
        read_only_fields = fields

    def get_download_url(self, job) -> str | None:
        if not job.is_ready:
            return None
        url = reverse("api-report-download", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AnalyticsExportSerializer(serializers.Serializer):
    """The query of `GET /api/analytics/export`."""

    format = serializers.ChoiceField(
        choices=Format.choices,
        help_text="`pdf`: the analytics page as a document. `csv`: a ZIP archive with one CSV "
        "per table (plans, goals, tasks, progress entries), UTF-8, ISO dates.",
    )
    bom = serializers.BooleanField(
        default=False,
        help_text="CSV only: start each file with a UTF-8 byte-order mark (for Excel).",
    )
