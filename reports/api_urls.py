from django.urls import re_path

from lib.api import router

from .api import AnalyticsExportView, PlanReportView, ReportViewSet

api_router = router()
api_router.register("reports", ReportViewSet, basename="api-report")

urlpatterns = [
    re_path(r"^pdps/(?P<pk>[^/.]+)/report/?$", PlanReportView.as_view(), name="api-plan-report"),
    re_path(r"^analytics/export/?$", AnalyticsExportView.as_view(), name="api-analytics-export"),
    *api_router.urls,
]
