from django.urls import path

from . import views, views_extra

app_name = "tasks"
urlpatterns = [
    path("tasks/", views.task_list, name="list"),
    path("tasks/new", views.task_create, name="create"),
    path("tasks/quick-add", views.task_quick_add, name="quick_add"),
    path("tasks/<uuid:pk>/edit", views.task_edit, name="edit"),
    path("tasks/<uuid:pk>/row", views.task_row, name="row"),
    path("tasks/<uuid:pk>/toggle", views.task_toggle, name="toggle"),
    path("tasks/<uuid:pk>/title", views.task_title, name="title"),
    path("tasks/<uuid:pk>/delete", views.task_delete, name="delete"),
    path("tasks/undo", views.task_undo, name="undo"),
    path("tasks/bulk", views.task_bulk, name="bulk"),
    path("tasks/calendar", views.task_calendar, name="calendar"),
    path("tasks/board", views.task_board, name="board"),
    path("tasks/quick-add/preview", views_extra.quick_add_preview, name="quick_add_preview"),
    path("tasks/<uuid:pk>/skip", views_extra.task_skip, name="skip"),
    path("tasks/labels/", views_extra.label_list, name="labels"),
    path("tasks/labels/<uuid:pk>/edit", views_extra.label_edit, name="label_edit"),
    path("tasks/labels/<uuid:pk>/row", views_extra.label_row, name="label_row"),
    path("tasks/labels/<uuid:pk>/delete", views_extra.label_delete, name="label_delete"),
    path("tasks/<uuid:pk>/subtasks", views_extra.subtask_add, name="subtask_add"),
    path(
        "tasks/<uuid:pk>/subtasks/<uuid:subtask_pk>/toggle",
        views_extra.subtask_toggle,
        name="subtask_toggle",
    ),
    path(
        "tasks/<uuid:pk>/subtasks/<uuid:subtask_pk>/move",
        views_extra.subtask_move,
        name="subtask_move",
    ),
    path(
        "tasks/<uuid:pk>/subtasks/<uuid:subtask_pk>/delete",
        views_extra.subtask_delete,
        name="subtask_delete",
    ),
]
