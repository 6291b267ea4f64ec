"""The project's routes plus `/bench-floor`: a bare view that reads 20 rows with one indexed
query and answers them as JSON, the floor `bench/api_bench.py` compares each endpoint to."""

from django.http import JsonResponse
from django.urls import path

from bakhmach.urls import urlpatterns as project_urlpatterns
from tasks.models import Task


def floor(request):
    rows = list(
        Task.objects.filter(user_id=request.GET["user"])
        .order_by("-created_at")  # task_user_created_idx
        .values("id", "title", "priority", "due_date", "created_at")[:20]
    )
    return JsonResponse({"results": rows})


urlpatterns = [path("bench-floor", floor), *project_urlpatterns]
