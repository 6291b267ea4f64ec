from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("plans/", views.plan_list, name="list"),
    path("plans/new", views.plan_create, name="create"),
    path("plans/<uuid:pk>/", views.plan_detail, name="detail"),
    path("plans/<uuid:pk>/edit", views.plan_edit, name="edit"),
    path("plans/<uuid:pk>/delete", views.plan_delete, name="delete"),
    path("plans/<uuid:pk>/reviews/new", views.plan_review_create, name="review_create"),
    path("plans/<uuid:pk>/reviews/<uuid:review_id>/", views.plan_review_detail, name="review"),
    path("plans/<uuid:pk>/share", views.plan_share, name="share"),
    path("shared/plans/<str:token>", views.shared_plan, name="shared"),
]
