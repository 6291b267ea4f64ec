from typing import cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goals.models import Goal
from lib.web import DateInput
from tasks.models import Label

from .models import AppPassword, Feed


class FeedOptionsForm(forms.ModelForm):
    """What the subscription feed shows; the goals to pick from are the user's own."""

    class Meta:
        model = Feed
        fields = [
            "include_completed",
            "include_goal_dates",
            "include_plan_dates",
            "goals",
            "include_tasks_without_goal",
            "labels",
        ]
        widgets = {"goals": forms.CheckboxSelectMultiple, "labels": forms.CheckboxSelectMultiple}
        labels = {
            "include_completed": _("Completed tasks"),
            "include_goal_dates": _("Goals' target dates"),
            "include_plan_dates": _("Plans' end dates"),
            "include_tasks_without_goal": _("Tasks without a goal"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        goals = cast(forms.ModelMultipleChoiceField, self.fields["goals"])
        goals.queryset = Goal.objects.owned_by(user).order_by("title")
        goals.label = gettext("Only these goals")
        labels = cast(forms.ModelMultipleChoiceField, self.fields["labels"])
        labels.queryset = Label.objects.owned_by(user).order_by("name")
        labels.label = gettext("Only these labels")


class AppPasswordForm(forms.ModelForm):
    class Meta:
        model = AppPassword
        fields = ["name"]
        labels = {"name": _("Device name")}
        widgets = {"name": forms.TextInput(attrs={"placeholder": "iPhone, Thunderbird…"})}


class TimeBlockForm(forms.Form):
    """When to work on a task: a day, a start time (none: any time that day) and a length."""

    LENGTHS = [(15, "15 min"), (30, "30 min"), (45, "45 min"), (60, "1 h"), (90, "1½ h")] + [
        (hours * 60, f"{hours} h") for hours in (2, 3, 4, 6, 8, 12)
    ]

    day = forms.DateField(widget=DateInput)
    start = forms.TimeField(
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        label=_("From"),
    )
    minutes = forms.TypedChoiceField(coerce=int, choices=LENGTHS, initial=30, label=_("For"))
