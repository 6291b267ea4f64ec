from django.contrib import admin

from . import services
from .models import AppPassword


@admin.register(AppPassword)
class AppPasswordAdmin(admin.ModelAdmin):
    """Devices that sync over CalDAV. An operator may revoke one (a lost phone), never make
    one: a password is shown only to its owner, once."""

    list_display = ["name", "user", "created_at", "last_used_at", "last_user_agent"]
    search_fields = ["name", "user__email"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "created_at", "last_used_at", "last_user_agent"]
    exclude = ["digest"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.revoke_app_password(app_password=obj)

    def delete_queryset(self, request, queryset):
        for app_password in queryset:
            services.revoke_app_password(app_password=app_password)
