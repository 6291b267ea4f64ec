from django.urls import re_path

from . import api

UUID = r"[0-9a-fA-F-]{36}"

urlpatterns = [
    re_path(r"^repositories/?$", api.RepositoryListView.as_view(), name="api-github-repositories"),
    re_path(
        r"^repositories/(?P<pk>\d+)/?$",
        api.RepositoryDetailView.as_view(),
        name="api-github-repository",
    ),
    re_path(r"^sync/?$", api.SyncView.as_view(), name="api-github-sync"),
    re_path(
        rf"^sync/(?P<pk>{UUID})/?$", api.SyncDetailView.as_view(), name="api-github-sync-detail"
    ),
    re_path(r"^items/?$", api.ItemListView.as_view(), name="api-github-items"),
    re_path(r"^mappings/?$", api.MappingListView.as_view(), name="api-github-mappings"),
    re_path(
        r"^mappings/(?P<pk>\d+)/?$", api.MappingDetailView.as_view(), name="api-github-mapping"
    ),
]
