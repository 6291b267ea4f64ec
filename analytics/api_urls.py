from django.urls import re_path

from . import api

# Each path answers with or without a trailing slash, like the routers of the other apps.
urlpatterns = [
    re_path(r"^analytics/summary/?$", api.SummaryView.as_view(), name="api-analytics-summary"),
    re_path(r"^analytics/goals/?$", api.GoalAnalyticsView.as_view(), name="api-analytics-goals"),
    re_path(
        r"^analytics/productivity/?$",
        api.ProductivityView.as_view(),
        name="api-analytics-productivity",
    ),
]
