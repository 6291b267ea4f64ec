from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class SlackConfig(AppConfig):
    name = "integrations.slack"
    label = "slack"
    verbose_name = _("Slack")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from integrations.registry import Provider, register
        from lib import notifications

        from . import channel, provider

        register(
            Provider(
                name=provider.NAME,
                label=gettext("Slack"),
                state=provider.state,
                disconnect=provider.disconnect,
                template="integrations/slack/settings_section.html",
            )
        )
        notifications.register(channel.SlackChannel())
