from django.contrib import admin

from lib.admin import OwnedModelAdmin, form_values

from . import services
from .models import Plan, PlanReview


class PlanReviewInline(admin.StackedInline):
    """Reviews are snapshots: shown, never changed here."""

    model = PlanReview
    fields = readonly_fields = (
        "created_at",
        "progress",
        "went_well",
        "went_badly",
        "next",
        "goals",
    )
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(OwnedModelAdmin):
    list_display = ["title", "user", "start_date", "end_date", "created_at"]
    list_filter = ["start_date", "end_date", "created_at"]
    search_fields = ["title", "description", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user"]
    readonly_fields = ["shared_at", "created_at", "updated_at"]
    inlines = [PlanReviewInline]

    def save_model(self, request, obj: Plan, form, change: bool) -> None:
        fields = form_values(form, services.PLAN_FIELDS)
        if change:
            services.update_plan(plan=obj, **fields)
        else:
            obj.pk = services.create_plan(user=obj.user, **fields).pk

    def delete_model(self, request, obj: Plan) -> None:
        services.delete_plan(plan=obj)
