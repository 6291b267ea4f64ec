from django.urls import path

from . import views

app_name = "github"
urlpatterns = [
    path("connect", views.connect, name="connect"),
    path("section", views.section, name="section"),
    path("callback", views.callback, name="callback"),
    path("disconnect", views.disconnect, name="disconnect"),
    path("sync", views.sync_now, name="sync"),
    path("repositories", views.repositories, name="repositories"),
    path("options", views.options, name="options"),
    path("mappings", views.mapping_add, name="mapping-add"),
    path("mappings/<int:pk>/delete", views.mapping_delete, name="mapping-delete"),
    path("webhook", views.webhook, name="webhook"),
]
