from contextlib import contextmanager

from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from lib.api import OrderingFilter, error_responses, id_parameter
from plans.selectors import get_plan_or_404

from . import services
from .downloads import download_response
from .errors import QuotaExceeded
from .models import ReportJob
from .selectors import get_job_or_404, jobs_of
from .serializers import AnalyticsExportSerializer, ReportJobSerializer

JOB_ID = id_parameter("job")
LOCATION = OpenApiParameter(
    "Location",
    str,
    OpenApiParameter.HEADER,
    response=[202],
    description="The job's URL (`GET /api/reports/{id}`), to poll until it is ready or failed.",
)
ACCEPTED = OpenApiResponse(
    ReportJobSerializer,
    description="The job: a new one, or the one already queued, running or ready for the same "
    "request when nothing changed since.",
)


class NotReady(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The report is not ready."
    default_code = "not_ready"


def _accepted(request, job: ReportJob) -> Response:
    serializer = ReportJobSerializer(job, context={"request": request})
    location = request.build_absolute_uri(reverse("api-report-detail", args=[job.pk]))
    return Response(
        serializer.data, status=status.HTTP_202_ACCEPTED, headers={"Location": location}
    )


class ExportFormatNegotiation(DefaultContentNegotiation):
    """Here `?format=` names the export's file format, not the renderer of the answer."""

    def filter_renderers(self, renderers, format):
        return renderers


@extend_schema_view(
    list=extend_schema(summary="List your report jobs, newest first"),
    retrieve=extend_schema(
        summary="Get a report job (poll it until ready or failed)",
        parameters=[JOB_ID],
        responses={200: ReportJobSerializer, **error_responses(401, 404)},
    ),
)
class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Report jobs of the signed-in user: PDFs and exports made by a background worker."""

    # The rows' model, for the schema; `get_queryset` gives the signed-in user's.
    queryset = ReportJob.objects.none()
    serializer_class = ReportJobSerializer
    # `?format=` filters the jobs by their file format (below); it picks no renderer.
    content_negotiation_class = ExportFormatNegotiation
    filter_backends = [DjangoFilterBackend, OrderingFilter]  # jobs have no text to search
    filterset_fields = ["kind", "format", "status"]
    ordering_fields = ["created_at", "finished_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        return jobs_of(self.request.user)

    def get_object(self) -> ReportJob:
        job = get_job_or_404(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, job)
        return job

    @extend_schema(
        summary="Download a ready report",
        description="Streams the file, or redirects (302) to a signed, expiring URL when files "
        "are on S3. Only the job's owner gets it; a job that is not ready answers 409.",
        parameters=[JOB_ID],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY),
            302: OpenApiResponse(description="Redirect to a signed URL of the file."),
            409: OpenApiResponse(description="The job is not ready (queued, running or failed)."),
            **error_responses(401, 404),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if not job.is_ready:
            raise NotReady()
        return download_response(job)


@contextmanager
def _quota():
    """A quota of new jobs (reports.services) answers 429 with Retry-After, like a throttle."""
    try:
        yield
    except QuotaExceeded as exc:
        raise exceptions.Throttled(wait=exc.retry_after, detail=str(exc)) from None


class PlanReportView(APIView):
    throttle_scope = "reports"  # each request may start a job: a tighter limit than reads

    @extend_schema(
        summary="Make the PDF report of a plan",
        description="Answers 202 with a job; a background worker makes the PDF.",
        parameters=[
            OpenApiParameter("id", str, OpenApiParameter.PATH, description="The plan's id."),
            LOCATION,
        ],
        responses={202: ACCEPTED, **error_responses(401, 404)},
    )
    def get(self, request, pk):
        plan = get_plan_or_404(request.user, pk)
        with _quota():
            job = services.request_plan_report(user=request.user, plan=plan)
        return _accepted(request, job)


class AnalyticsExportView(APIView):
    content_negotiation_class = ExportFormatNegotiation
    throttle_scope = "reports"  # each request may start a job: a tighter limit than reads

    @extend_schema(
        summary="Export your analytics as PDF or CSV",
        description="Answers 202 with a job; a background worker makes the file. The CSV is a "
        "ZIP archive with one CSV per table: plans, goals, tasks and progress entries.",
        parameters=[AnalyticsExportSerializer, LOCATION],
        responses={202: ACCEPTED, **error_responses(400, 401)},
    )
    def get(self, request):
        query = AnalyticsExportSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        with _quota():
            job = services.request_analytics_export(user=request.user, **query.validated_data)
        return _accepted(request, job)
