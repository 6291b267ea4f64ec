"""The one set of task filters: the task list page and `/api/tasks` narrow tasks with it."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django_filters import filters as base_filters
from django_filters import rest_framework as filters

from .models import Task


class StrictBooleanField(forms.Field):
    """`true`/`false` (or `1`/`0`); anything else is an error, not silently ignored."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError(gettext("Use true or false."), code="invalid") from None


class StrictBooleanFilter(base_filters.BooleanFilter):
    # The base filter, not django-filter's REST one, whose widget turns unknown values into None.
    field_class = StrictBooleanField


class TaskFilter(filters.FilterSet):
    """The filters of a task list, named as the page's address and the API's query spell them.

    The page's form and the API parse their input into these names and values; the
    `task_list` selector applies them. `overdue` counts from the user's `today`, which the
    selector gives.
    """

    goal = filters.UUIDFilter(field_name="goal", label="Only tasks of the goal with this id.")
    pdp = filters.UUIDFilter(
        field_name="goal__plan", label="Only tasks whose goal belongs to the plan with this id."
    )
    completed = StrictBooleanFilter(
        method="filter_completed", label="`true`: only completed tasks; `false`: only open ones."
    )
    priority = filters.TypedChoiceFilter(
        choices=Task.Priority.choices, coerce=int, label="Only tasks of this priority (1-5)."
    )
    due_before = filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Due on or before (YYYY-MM-DD)."
    )
    due_after = filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label="Due on or after (YYYY-MM-DD)."
    )
    label = filters.UUIDFilter(field_name="labels", label="Only tasks with the label of this id.")
    overdue = StrictBooleanFilter(
        method="filter_overdue",
        label="`true`: only open tasks due before today in your time zone; `false`: all others.",
    )
    search = filters.CharFilter(
        method="filter_search",
        label="Only rows whose `title`, `description` contain every word of this text "
        "(case-insensitive).",
    )
    has_due_date = StrictBooleanFilter(
        field_name="due_date",
        lookup_expr="isnull",
        exclude=True,
        label="`true`: only tasks with a due date; `false`: only those without one.",
    )

    class Meta:
        model = Task
        fields = [
            "goal",
            "pdp",
            "completed",
            "priority",
            "due_before",
            "due_after",
            "label",
            "overdue",
            "has_due_date",
            "search",
        ]

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def filter_completed(self, queryset, name, value):
        return queryset.completed() if value else queryset.open()

    def filter_overdue(self, queryset, name, value):
        overdue = Task.overdue_q(self.today)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return queryset
