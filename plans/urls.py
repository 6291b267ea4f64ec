from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/new", views.plan_create, name="create"),
    path("plans/<uuid:pk>/", views.plan_detail, name="detail"),
    path("plans/<uuid:pk>/edit", views.plan_edit, name="edit"),
    path("plans/<uuid:pk>/delete", views.plan_delete, name="delete"),
]
