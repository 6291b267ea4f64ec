from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    # allauth's own app is "Accounts" (email addresses) in the admin too.
    verbose_name = _("Users and settings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lib.checks import check_shared_cache

        # The accounts' rate limits and two-factor tokens are what an unshared cache breaks.
        checks.register(check_shared_cache, checks.Tags.caches, deploy=True)
