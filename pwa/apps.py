from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PwaConfig(AppConfig):
    name = "pwa"
    verbose_name = _("Installable app")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lib import notifications

        from .push import WebPushChannel

        notifications.register(WebPushChannel())
