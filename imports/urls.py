from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("tasks/import", views.upload, name="upload"),
    path("imports/<uuid:pk>/", views.detail, name="detail"),
    path("imports/<uuid:pk>/start", views.start, name="start"),
    path("imports/<uuid:pk>/cancel", views.cancel, name="cancel"),
]
