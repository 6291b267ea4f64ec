from django.contrib import admin, messages
from django.utils.translation import ngettext

from . import services
from .models import Task


class CompletedFilter(admin.SimpleListFilter):
    title = "completed"
    parameter_name = "completed"

    def lookups(self, request, model_admin):
        return [("yes", "Completed"), ("no", "Open")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.completed()
        if self.value() == "no":
            return queryset.open()
        return queryset


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "goal", "priority", "due_date", "completed_at"]
    list_filter = [CompletedFilter, "priority", "due_date", "created_at"]
    search_fields = ["title", "description", "user__email", "goal__title"]
    list_select_related = ["user", "goal"]
    date_hierarchy = "due_date"
    autocomplete_fields = ["user", "goal"]
    readonly_fields = ["completed_at", "created_at", "updated_at"]
    actions = ["complete", "reopen"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "user"] if obj else self.readonly_fields

    # Writes go through the services, like every other caller.
    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.TASK_FIELDS & set(form.fields)}
        if change:
            services.update_task(task=Task.objects.get(pk=obj.pk), **fields)
        else:
            obj.pk = services.create_task(user=obj.user, **fields).pk

    def delete_model(self, request, obj):
        services.delete_task(task=obj)

    def delete_queryset(self, request, queryset):
        for task in queryset:
            services.delete_task(task=task)

    @admin.action(description="Mark the selected tasks complete")
    def complete(self, request, queryset):
        tasks = list(queryset.open())
        for task in tasks:
            services.complete_task(task=task)
        self._report(request, len(tasks), "completed")

    @admin.action(description="Reopen the selected tasks")
    def reopen(self, request, queryset):
        tasks = list(queryset.completed())
        for task in tasks:
            services.reopen_task(task=task)
        self._report(request, len(tasks), "reopened")

    def _report(self, request, count, verb):
        message = ngettext("%(count)d task %(verb)s.", "%(count)d tasks %(verb)s.", count)
        self.message_user(request, message % {"count": count, "verb": verb}, messages.SUCCESS)
