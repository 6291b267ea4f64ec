from django.urls import include, path

from . import views

app_name = "integrations"
urlpatterns = [
    path("settings/integrations", views.integrations_page, name="settings"),
    path("integrations/github/", include("integrations.github.urls")),
]
