from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GitHubIntegrationConfig(AppConfig):
    name = "integrations.github"
    # allauth's GitHub provider app is already labelled `github`.
    label = "integrations_github"
    verbose_name = _("GitHub integration")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from integrations.registry import Provider, register

        from . import selectors, services

        register(
            Provider(
                name="github",
                label="GitHub",
                state=selectors.provider_state,
                disconnect=lambda user: services.disconnect(user=user),
                template="integrations/github/settings_section.html",
                context=selectors.settings_context,
            )
        )
