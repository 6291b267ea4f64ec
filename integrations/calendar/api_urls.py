from django.urls import path

from lib.api import router

from .api import AppPasswordViewSet, CalendarFeedViewSet

api_router = router()
api_router.register("calendar/app-passwords", AppPasswordViewSet, basename="calendar-app-password")

urlpatterns = [
    path("calendar/feed", CalendarFeedViewSet.as_view({"post": "create"}), name="calendar-feed"),
    *api_router.urls,
]
