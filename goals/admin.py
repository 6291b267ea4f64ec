from django.contrib import admin

from lib.admin import ServiceAdminMixin

from . import services
from .models import Goal, ProgressEntry


class ProgressEntryInline(admin.TabularInline):
    """The progress log, read-only: new entries are logged through the goal's progress."""

    model = ProgressEntry
    fields = ["created_at", "value", "note"]
    readonly_fields = fields
    ordering = ["-created_at"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Goal)
class GoalAdmin(ServiceAdminMixin, admin.ModelAdmin):
    service_fields = services.GOAL_FIELDS
    create_service = services.create_goal
    update_service = services.update_goal
    delete_service = services.delete_goal

    list_display = ["title", "user", "plan", "domain", "status", "progress", "target_date"]
    list_filter = ["status", "domain", "target_date", "created_at"]
    search_fields = ["title", "description", "user__email", "plan__title"]
    list_select_related = ["user", "plan"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user", "plan"]
    readonly_fields = ["completed_at", "created_at", "updated_at"]
    inlines = [ProgressEntryInline]
