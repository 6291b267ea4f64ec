from django.urls import path

from . import views

app_name = "goals"
urlpatterns = [
    path("goals/", views.goal_list, name="list"),
    path("goals/new", views.goal_create, name="create"),
    path("goals/<uuid:pk>/", views.goal_detail, name="detail"),
    path("goals/<uuid:pk>/edit", views.goal_edit, name="edit"),
    path("goals/<uuid:pk>/delete", views.goal_delete, name="delete"),
    path("goals/<uuid:pk>/progress", views.goal_log_progress, name="log_progress"),
]
