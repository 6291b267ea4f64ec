from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PwaConfig(AppConfig):
    name = "pwa"
    verbose_name = _("Installable app")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.conf import settings

        from lib import notifications

        from .push import WebPushChannel

        if settings.WEBPUSH_ENABLED:
            notifications.register(WebPushChannel())
