from django.urls import path, re_path

from . import dav_views, views

app_name = "calendar_sync"

urlpatterns = [
    path("ics/<str:token>.ics", views.feed, name="feed"),
    path("settings/calendar", views.settings_page, name="settings"),
    path("settings/calendar/feed", views.feed_rotate, name="feed-rotate"),
    path("settings/calendar/feed/revoke", views.feed_revoke, name="feed-revoke"),
    path("settings/calendar/feed/options", views.feed_options, name="feed-options"),
    path("settings/calendar/app-passwords", views.app_password_create, name="app-password-create"),
    path(
        "settings/calendar/app-passwords/<uuid:pk>/revoke",
        views.app_password_revoke,
        name="app-password-revoke",
    ),
    path("time-blocks/", views.time_blocks, name="time-blocks"),
    path("time-blocks/<uuid:pk>", views.time_block_set, name="time-block-set"),
    # CalDAV. Collections answer with or without their trailing slash (clients differ); the
    # hrefs the service gives out have it.
    re_path(r"^\.well-known/caldav/?$", dav_views.well_known, name="well-known"),
    path("dav/", dav_views.root, name="dav-root"),
    path("dav/principals/<uuid:user_id>/", dav_views.principal, name="dav-principal"),
    path("dav/calendars/<uuid:user_id>/", dav_views.home, name="dav-home"),
    path("dav/calendars/<uuid:user_id>/tasks/", dav_views.task_list, name="dav-tasks"),
    path("dav/calendars/<uuid:user_id>/tasks/<str:name>", dav_views.task_object, name="dav-task"),
    path("dav", dav_views.root),
    path("dav/principals/<uuid:user_id>", dav_views.principal),
    path("dav/calendars/<uuid:user_id>", dav_views.home),
    path("dav/calendars/<uuid:user_id>/tasks", dav_views.task_list),
]
