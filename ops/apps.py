from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations plumbing: broker transport, worker heartbeat, request logging, metrics,
    database routing, backups. It imports none of the domain apps."""

    name = "ops"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import heartbeat, metrics

        metrics.register(heartbeat.WorkerCollector())
