from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import avatars, services
from .models import User, UserSettings


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "username")


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_avatar(self):
        """A new picture is stored as the settings page stores it: re-encoded, no metadata."""
        avatar = self.cleaned_data["avatar"]
        return avatars.reencode(avatar) if isinstance(avatar, UploadedFile) else avatar


class DeletedFilter(admin.SimpleListFilter):
    title = _("deleted")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("yes", _("Deleted")), ("no", _("Not deleted"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


class UserSettingsInline(admin.StackedInline):
    model = UserSettings
    can_delete = False
    readonly_fields = ["updated_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    inlines = [UserSettingsInline]

    list_display = [
        "email",
        "username",
        "name",
        "is_active",
        "is_staff",
        "created_at",
        "deleted_at",
    ]
    list_filter = ["is_active", "is_staff", "is_superuser", DeletedFilter, "created_at"]
    search_fields = ["email", "username", "name"]
    ordering = ["-created_at"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at", "last_login", "deleted_at"]
    filter_horizontal = ["groups", "user_permissions"]
    actions = ["soft_delete"]

    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["username", "name", "avatar"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "created_at", "updated_at", "deleted_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "username", "usable_password", "password1", "password2"],
            },
        ),
    ]

    def get_inlines(self, request, obj):
        # A new account gets its settings from `set_up_account`; they are edited afterwards.
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.set_up_account(user=obj)
        elif "email" in form.changed_data:
            services.sync_email_address(user=obj)

    @admin.action(description=_("Delete the selected accounts (soft: sign-in stops, data stays)"))
    def soft_delete(self, request, queryset):
        accounts = list(queryset.filter(deleted_at__isnull=True))
        for user in accounts:
            services.delete_account(user=user)
        count = len(accounts)
        self.message_user(
            request,
            ngettext("%d account deleted.", "%d accounts deleted.", count) % count,
            messages.SUCCESS,
        )
