from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lib import metrics

        from .metrics import ReportJobCollector

        metrics.register(ReportJobCollector())
