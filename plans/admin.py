from django.contrib import admin

from lib.admin import ServiceAdminMixin

from . import services
from .models import Plan


@admin.register(Plan)
class PlanAdmin(ServiceAdminMixin, admin.ModelAdmin):
    service_fields = services.PLAN_FIELDS
    create_service = services.create_plan
    update_service = services.update_plan
    delete_service = services.delete_plan

    list_display = ["title", "user", "start_date", "end_date", "created_at"]
    list_filter = ["start_date", "end_date", "created_at"]
    search_fields = ["title", "description", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at", "updated_at"]
