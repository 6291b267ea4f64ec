from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search across the domain apps: it reads plans, goals and tasks, and nothing imports it."""

    name = "search"
    default_auto_field = "django.db.models.BigAutoField"
