from django.contrib import admin

from . import services
from .models import Connection, Delivery, Item, SyncRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """What users and GitHub made; operators look, they do not edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Connection)
class ConnectionAdmin(ReadOnlyAdmin):
    """Never shows the token or the webhook secret. Deleting disconnects (the token goes)."""

    list_display = ["user", "login", "state", "last_sync_at", "last_error"]
    list_filter = ["state"]
    search_fields = ["user__email", "login"]
    list_select_related = ["user"]
    fields = ["user", "login", "github_id", "scopes", "state", "last_sync_at", "last_error"]

    def delete_model(self, request, obj):
        services.disconnect(user=obj.user)

    def delete_queryset(self, request, queryset):
        for connection in queryset.select_related("user"):
            services.disconnect(user=connection.user)


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "user", "kind", "state", "assigned", "github_updated_at"]
    list_filter = ["kind", "state", "assigned"]
    search_fields = ["user__email", "title", "repository__full_name"]
    list_select_related = ["user", "repository"]

    def has_delete_permission(self, request, obj=None):
        return False  # the task owns it: deleting the task deletes the link


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "trigger", "status", "imported", "updated", "error"]
    list_filter = ["status", "trigger"]
    search_fields = ["user__email", "error"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "event", "delivery_id", "user", "processed_at"]
    list_filter = ["event"]
    search_fields = ["delivery_id"]
    date_hierarchy = "received_at"
