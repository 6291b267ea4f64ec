from django.contrib import admin

from . import services
from .models import Plan


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "start_date", "end_date", "created_at"]
    list_filter = ["start_date", "end_date", "created_at"]
    search_fields = ["title", "description", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        # A plan never changes hands: its goals would then belong to someone else.
        return [*self.readonly_fields, "user"] if obj else self.readonly_fields

    # Writes go through the services, like every other caller.
    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.PLAN_FIELDS & set(form.fields)}
        if change:
            services.update_plan(plan=Plan.objects.get(pk=obj.pk), **fields)
        else:
            obj.pk = services.create_plan(user=obj.user, **fields).pk

    def delete_model(self, request, obj):
        services.delete_plan(plan=obj)

    def delete_queryset(self, request, queryset):
        for plan in queryset:
            services.delete_plan(plan=plan)
