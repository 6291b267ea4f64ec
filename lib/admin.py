"""Admin plumbing shared by the apps."""

from collections.abc import Iterable

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest


class OwnedModelAdmin(admin.ModelAdmin):
    """A model admin of users' objects whose writes go through the app's services.

    Each admin writes in its own `save_model` and `delete_model`, calling its services as every
    other caller does. An object never changes hands (a plan's goals would then be someone
    else's): its `user` is read-only once it exists. A bulk delete goes through `delete_model`
    row by row, so every delete keeps the service's rules.
    """

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "user"] if obj else readonly

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


def form_values(form: forms.ModelForm, names: Iterable[str]) -> dict:
    """The cleaned values of the fields among `names` that the admin form shows."""
    return {name: form.cleaned_data[name] for name in names if name in form.fields}


class ServiceAdminMixin:
    """A model admin whose writes go through the app's services, like every other caller.

    `service_fields` names the fields the services take; `create_service(user=..., **fields)`,
    `update_service(<model>=..., **fields)` and `delete_service(<model>=...)` are the services,
    the object passed under the model's name (`plan=`), as the services spell it. An object
    never changes hands (a plan's goals would then be someone else's): its `user` is read-only.
    """

    service_fields: set[str] = set()
    create_service = None
    update_service = None
    delete_service = None

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "user"] if obj else readonly

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in self.service_fields & set(form.fields)}
        # The services are read off the class, where a plain function is not bound as a method.
        if change:
            # The form has already written its values onto `obj`; the service compares them
            # with the stored object (a goal's old progress), so it is given that one.
            stored = self.model.objects.get(pk=obj.pk)
            type(self).update_service(**{self.opts.model_name: stored}, **fields)
        else:
            obj.pk = type(self).create_service(user=obj.user, **fields).pk

    def delete_model(self, request, obj):
        type(self).delete_service(**{self.opts.model_name: obj})

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
