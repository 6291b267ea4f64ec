from lib.api import router

from .api import TaskViewSet

api_router = router()
api_router.register("tasks", TaskViewSet, basename="task")

urlpatterns = api_router.urls
