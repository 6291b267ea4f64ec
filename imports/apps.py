from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Tasks brought in from a CSV file (a Todoist export or a plain spreadsheet)."""

    name = "imports"
    default_auto_field = "django.db.models.BigAutoField"
