from lib.api import router

from .api import GoalViewSet

api_router = router()
api_router.register("goals", GoalViewSet, basename="goal")

urlpatterns = api_router.urls
