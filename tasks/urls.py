from django.urls import path

from . import views

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
]
