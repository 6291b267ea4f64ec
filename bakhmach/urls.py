from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lib.metrics import metrics_view

from . import views

# The admin signs in through allauth's login: two-factor and its rate limits apply there, and
# the admin's own password-only form is never shown.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

api_patterns: list[URLPattern | URLResolver] = [
    path("", include("accounts.api_urls")),
    path("", include("plans.api_urls")),
    path("", include("goals.api_urls")),
    path("", include("tasks.api_urls")),
    path("", include("analytics.api_urls")),
    path("", include("reports.api_urls")),
    path("", include("integrations.api_urls")),
    path("", include("integrations.calendar.api_urls")),
    path("", include("search.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the CSP forbids inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("dashboard", views.dashboard, name="dashboard"),
    path("start/template", views.start_from_template, name="start_from_template"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", include(api_patterns)),
    path("", include("accounts.urls")),
    path("", include("plans.urls")),
    path("", include("goals.urls")),
    path("", include("tasks.urls")),
    path("", include("analytics.urls")),
    path("", include("reports.urls")),
    path("", include("integrations.urls")),
    path("", include("integrations.calendar.urls")),
    path("", include("search.urls")),
    path("", include("imports.urls")),
    path("", include("integrations.slack.urls")),
    path("", include("pwa.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "lib.errors.bad_request"
handler403 = "lib.errors.permission_denied"
handler404 = "lib.errors.page_not_found"
handler500 = "lib.errors.server_error"
