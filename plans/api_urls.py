from lib.api import router

from .api import PlanViewSet

api_router = router()
api_router.register("pdps", PlanViewSet, basename="plan")

urlpatterns = api_router.urls
