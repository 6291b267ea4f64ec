from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class CalendarSyncConfig(AppConfig):
    name = "integrations.calendar"
    # "calendar" is a module of the standard library; the label keeps table names apart too.
    label = "calendar_sync"
    verbose_name = _("Calendar sync")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from integrations.registry import Provider, register

        from . import provider

        register(
            Provider(
                name=provider.NAME,
                label=gettext("Calendar"),
                state=provider.state,
                disconnect=provider.disconnect,
                template="calendar_sync/settings_section.html",
            )
        )
