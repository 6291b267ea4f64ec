"""Helpers for the tests that run a real Celery worker process on the test database."""

import urllib.parse


def database_url(settings_dict) -> str:
    """A DATABASE_URL for another process to reach the database of `settings_dict`."""
    user = urllib.parse.quote(settings_dict["USER"] or "")
    password = urllib.parse.quote(settings_dict["PASSWORD"] or "")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"
