from django.urls import path

from . import views

app_name = "tasks"
urlpatterns = [
    path("tasks/", views.task_list, name="list"),
    path("tasks/new", views.task_new, name="new"),
    path("tasks/quick-add", views.task_create, name="create"),
    path("tasks/<uuid:pk>/", views.task_detail, name="detail"),
    path("tasks/<uuid:pk>/row", views.task_row, name="row"),
    path("tasks/<uuid:pk>/toggle", views.task_toggle, name="toggle"),
    path("tasks/<uuid:pk>/title", views.task_title, name="title"),
    path("tasks/<uuid:pk>/delete", views.task_delete, name="delete"),
]
