from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lib.admin import OwnedModelAdmin, form_values

from . import services
from .models import Goal, ProgressEntry


class ProgressEntryInline(admin.TabularInline):
    """The check-ins, read-only: new ones are made through the goal's progress."""

    model = ProgressEntry
    fields = readonly_fields = (
        "created_at",
        "value",
        "metric_value",
        "key_result",
        "status",
        "note",
        "source",
        "source_ref",
        "evidence_url",
    )
    ordering = ["-created_at"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Goal)
class GoalAdmin(OwnedModelAdmin):
    list_display = ["title", "user", "plan", "domain", "status", "progress", "target_date"]
    list_filter = ["status", "domain", "target_date", "created_at"]
    search_fields = ["title", "description", "user__email", "plan__title"]
    list_select_related = ["user", "plan"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user", "plan"]
    # How a goal measures itself is the owner's choice, made in the app: a change replays its
    # check-ins, which the admin's form (one field at a time) cannot show.
    readonly_fields = [
        "measure",
        "unit",
        "direction",
        "start_value",
        "target_value",
        "current_value",
        "key_results_summary",
        "target_outside_plan",
        "completed_at",
        "created_at",
        "updated_at",
    ]
    inlines = [ProgressEntryInline]

    def save_model(self, request, obj: Goal, form, change: bool) -> None:
        fields = form_values(form, services.GOAL_FIELDS)
        if change:
            # The form has already written its values onto `obj`; the service compares them
            # with the stored goal (its old progress), so it is given that one.
            services.update_goal(goal=Goal.objects.get(pk=obj.pk), **fields)
        else:
            obj.pk = services.create_goal(user=obj.user, **fields).pk

    def delete_model(self, request, obj: Goal) -> None:
        services.delete_goal(goal=obj)

    @admin.display(description=_("Key results"))
    def key_results_summary(self, goal):
        results = goal.key_results.all()
        return "; ".join(f"{result.title}: {result.progress}%" for result in results) or "—"
