"""Slack in the admin: for looking, not editing. Links and tokens change only through Add to
Slack, the settings page and Slack's own events; the token is never shown."""

from django.contrib import admin

from .models import Delivery, SlackLink, Workspace


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Workspace)
class WorkspaceAdmin(ReadOnlyAdmin):
    list_display = ["team_name", "team_id", "broken_reason", "created_at"]
    fields = [
        "team_name",
        "team_id",
        "app_id",
        "bot_user_id",
        "scope",
        "broken_reason",
        "broken_at",
    ]
    search_fields = ["team_name", "team_id"]


@admin.register(SlackLink)
class SlackLinkAdmin(ReadOnlyAdmin):
    list_display = ["user", "workspace", "slack_user_id", "daily_plan", "weekly_review"]
    list_select_related = ["user", "workspace"]
    search_fields = ["user__email", "slack_user_id"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "key", "status", "attempts", "error", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["user"]
    search_fields = ["user__email", "key"]
