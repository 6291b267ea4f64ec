from django.contrib import admin

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
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "plan", "domain", "status", "progress", "target_date"]
    list_filter = ["status", "domain", "target_date", "created_at"]
    search_fields = ["title", "description", "user__email", "plan__title"]
    list_select_related = ["user", "plan"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user", "plan"]
    readonly_fields = ["completed_at", "created_at", "updated_at"]
    inlines = [ProgressEntryInline]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "user"] if obj else self.readonly_fields

    # Writes go through the services, so that progress changes are logged.
    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.GOAL_FIELDS & set(form.fields)}
        if change:
            services.update_goal(goal=Goal.objects.get(pk=obj.pk), **fields)
        else:
            obj.pk = services.create_goal(user=obj.user, **fields).pk

    def delete_model(self, request, obj):
        services.delete_goal(goal=obj)

    def delete_queryset(self, request, queryset):
        for goal in queryset:
            services.delete_goal(goal=goal)
