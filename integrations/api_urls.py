from django.urls import include, re_path

from .api import IntegrationDetailView, IntegrationListView

urlpatterns = [
    re_path(r"^integrations/?$", IntegrationListView.as_view(), name="api-integrations"),
    # Each provider's own endpoints come before the generic `{provider}` route.
    re_path(r"^integrations/github/", include("integrations.github.api_urls")),
    re_path(
        r"^integrations/(?P<provider>[a-z0-9_-]+)/?$",
        IntegrationDetailView.as_view(),
        name="api-integration",
    ),
]
