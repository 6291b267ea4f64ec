from lib.api import router

from .api import LabelViewSet, SubtaskViewSet, TaskViewSet

api_router = router()
api_router.register("tasks", TaskViewSet, basename="task")
api_router.register(r"tasks/(?P<task_pk>[^/.]+)/subtasks", SubtaskViewSet, basename="subtask")
api_router.register("labels", LabelViewSet, basename="label")

urlpatterns = api_router.urls
