#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bakhmach.settings")
    # Commands on a developer's machine run with DEBUG on unless told otherwise (so they need
    # no SECRET_KEY); the production image sets DEBUG=false, and gunicorn and Celery never
    # come through here.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
