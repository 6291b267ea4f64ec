from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from lib.admin import OwnedModelAdmin, form_values

from . import services
from .models import Task


class CompletedFilter(admin.SimpleListFilter):
    title = "completed"
    parameter_name = "completed"

    def lookups(self, request, model_admin):
        return [("yes", gettext("Completed")), ("no", gettext("Open"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.completed()
        if self.value() == "no":
            return queryset.open()
        return queryset


@admin.register(Task)
class TaskAdmin(OwnedModelAdmin):
    list_display = ["title", "user", "goal", "priority", "due_date", "completed_at"]
    list_filter = [CompletedFilter, "priority", "due_date", "created_at"]
    search_fields = ["title", "description", "user__email", "goal__title"]
    list_select_related = ["user", "goal"]
    date_hierarchy = "due_date"
    autocomplete_fields = ["user", "goal"]
    readonly_fields = ["completed_at", "created_at", "updated_at"]
    actions = ["complete", "reopen"]

    def save_model(self, request, obj: Task, form, change: bool) -> None:
        fields = form_values(form, services.TASK_FIELDS)
        if change:
            services.update_task(task=obj, **fields)
        else:
            obj.pk = services.create_task(user=obj.user, **fields).pk

    def delete_model(self, request, obj: Task) -> None:
        services.delete_task(task=obj)

    @admin.action(description=_("Mark the selected tasks complete"))
    def complete(self, request, queryset):
        self._each(request, queryset.open(), services.complete_task, "completed")

    @admin.action(description=_("Reopen the selected tasks"))
    def reopen(self, request, queryset):
        self._each(request, queryset.completed(), services.reopen_task, "reopened")

    def _each(self, request, tasks, service, verb):
        """Call `service` on each of `tasks` and say how many were `verb`."""
        tasks = list(tasks)
        for task in tasks:
            service(task=task)
        count = len(tasks)
        message = ngettext("%(count)d task %(verb)s.", "%(count)d tasks %(verb)s.", count)
        self.message_user(request, message % {"count": count, "verb": verb}, messages.SUCCESS)
