from django.contrib import admin

from .models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are made by their owners' requests and finished by the workers."""

    list_display = ["created_at", "owner", "kind", "format", "status", "finished_at"]
    list_filter = ["status", "kind", "format", "created_at"]
    search_fields = ["owner__email", "error"]
    list_select_related = ["owner"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # The hourly clean-up deletes old jobs together with their files.
        return False
