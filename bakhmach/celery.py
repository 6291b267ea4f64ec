import os

from celery import Celery

from lib.heartbeat import Heartbeat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bakhmach.settings")

app = Celery("bakhmach")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Each worker beats into the shared cache while connected: /readyz and /metrics show a dead one.
app.steps["consumer"].add(Heartbeat)
