from django.urls import path

from . import views

app_name = "slack"
urlpatterns = [
    path("integrations/slack/commands", views.slack_commands, name="commands"),
    path("integrations/slack/interactions", views.slack_interactions, name="interactions"),
    path("integrations/slack/events", views.slack_events, name="events"),
    path("integrations/slack/install", views.slack_install, name="install"),
    path("integrations/slack/oauth/callback", views.slack_oauth_callback, name="oauth_callback"),
    path("settings/slack", views.slack_settings, name="settings"),
    path("settings/slack/preferences", views.slack_preferences, name="preferences"),
    path("settings/slack/disconnect", views.slack_disconnect, name="disconnect"),
]
