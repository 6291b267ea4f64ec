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
    path(
        "goals/<uuid:pk>/check-ins/<uuid:entry_id>/edit",
        views.goal_check_in_edit,
        name="check_in_edit",
    ),
    path(
        "goals/<uuid:pk>/check-ins/<uuid:entry_id>/delete",
        views.goal_check_in_delete,
        name="check_in_delete",
    ),
    path("goals/<uuid:pk>/reopen", views.goal_reopen, name="reopen"),
    path("goals/<uuid:pk>/key-results", views.goal_key_result_create, name="key_result_create"),
    path(
        "goals/<uuid:pk>/key-results/<uuid:kr_id>/edit",
        views.goal_key_result_edit,
        name="key_result_edit",
    ),
    path(
        "goals/<uuid:pk>/key-results/<uuid:kr_id>/delete",
        views.goal_key_result_delete,
        name="key_result_delete",
    ),
]
