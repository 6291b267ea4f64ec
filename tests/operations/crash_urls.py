"""The project's URLs plus a view that fails, for the error-reporting tests."""

from django.urls import path

from bakhmach.urls import urlpatterns as project_urlpatterns


def crash(request):
    raise RuntimeError("the crash the Sentry test asked for")


urlpatterns = [path("crash", crash), *project_urlpatterns]
