from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.exports, name="exports"),
    path("reports/<uuid:pk>/", views.job_detail, name="detail"),
    path("reports/<uuid:pk>/download", views.download, name="download"),
    path("plans/<uuid:pk>/report", views.plan_report, name="plan-report"),
]
