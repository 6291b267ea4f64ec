from django.urls import re_path

from .api import SearchView

urlpatterns = [re_path(r"^search/?$", SearchView.as_view(), name="api-search")]
