from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("settings/profile", views.profile_update, name="profile"),
    path("settings/avatar", views.avatar_update, name="avatar"),
    path("settings/preferences", views.preferences_update, name="preferences"),
    path("settings/timezone-offer", views.timezone_offer, name="timezone_offer"),
    path("settings/delete", views.account_delete, name="delete"),
    path("language", views.language_update, name="language"),
]
