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
