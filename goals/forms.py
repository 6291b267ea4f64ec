from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.web import DateInput
from plans.selectors import plans_of

from . import services
from .models import (
    METRIC_DECIMALS,
    METRIC_DIGITS,
    CheckInStatus,
    Goal,
    KeyResult,
    Measure,
    ProgressEntry,
)


class GoalForm(forms.ModelForm):
    """Create or edit a goal; `plan` offers only the user's own plans.

    A status change also moves `completed_at` and progress (Goal.set_status, in the service).
    Left out of the form, they exclude the constraints tying them to `status` from the form's
    checks (Django skips a constraint on an excluded field); the service checks those on the
    goal as saved. A new metric goal may start from a current value; later values are
    check-ins, made on the goal's page.
    """

    # Fields with a default that a form leaving them out (an older client) keeps as they are.
    KEPT_WHEN_MISSING = ("measure", "direction")

    class Meta:
        model = Goal
        fields = [
            "title",
            "description",
            "plan",
            "domain",
            "target_date",
            "target_outside_plan",
            "status",
            "measure",
            "unit",
            "direction",
            "start_value",
            "target_value",
            "current_value",
        ]
        widgets = {
            "target_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "measure": forms.RadioSelect(),
            "unit": forms.TextInput(attrs={"list": "unit-suggestions", "autocomplete": "off"}),
        }
        labels = {
            "measure": _("How is progress measured?"),
            "target_outside_plan": _("Keep this target date outside the plan's dates"),
            "start_value": _("Start value"),
            "target_value": _("Target value"),
            "current_value": _("Current value"),
        }
        help_texts = {
            "status": _("A completed goal counts as 100%."),
            "measure": _(
                "By hand; a metric from a start to a target value (km, kg, €…); up to "
                "five key results; or the share of its tasks done, weighted by priority."
            ),
            "unit": _("For a metric: count, km, kg, €, ₴, hours, pages, %…"),
            "direction": _("Down for a weight to lose or a debt to pay off."),
            "current_value": _("Where you are today (the start value if empty)."),
            "target_outside_plan": _("The plan then shows a warning next to this goal."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        plan = cast(forms.ModelChoiceField, self.fields["plan"])
        plan.queryset = plans_of(user).only("id", "title")
        plan.empty_label = _("No plan")
        for name in self.KEPT_WHEN_MISSING:
            self.fields[name].required = False
        if not self.instance._state.adding:
            del self.fields["current_value"]  # later values are check-ins

    def clean(self):
        cleaned = self.cleaned_data
        for name in self.KEPT_WHEN_MISSING:
            if not cleaned.get(name):
                cleaned[name] = getattr(self.instance, name)
        return cleaned


class CheckInForm(forms.Form):
    """A check-in on `goal`: its value as the goal measures itself, a status, a note and
    evidence. `entry` is the check-in being edited, if any. Reaching 100 % asks first:
    the form comes back with `needs_confirmation` until the post says `confirm=on` (a hidden
    input of the page, outside the form's fields, so a bound form never resends "off")."""

    value = forms.DecimalField(max_digits=METRIC_DIGITS, decimal_places=METRIC_DECIMALS)
    key_result = forms.ModelChoiceField(
        label=_("Key result"), queryset=KeyResult.objects.none(), empty_label=None
    )
    status = forms.ChoiceField(
        label=_("How is it going?"),
        choices=[("", _("Suggest from the pace")), *CheckInStatus.choices],
    )
    note = forms.CharField(
        label=_("What changed?"),
        widget=forms.TextInput(attrs={"placeholder": _("Optional note")}),
    )
    evidence_url = forms.URLField(
        label=_("Evidence"),
        max_length=500,
        assume_scheme="https",
        help_text=_("A link that shows it."),
    )

    def __init__(self, *args, goal: Goal, entry: ProgressEntry | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal, self.entry = goal, entry
        for field in self.fields.values():
            field.required = False
        value = self.fields["value"]
        if goal.measure == Measure.MANUAL:
            self.fields["value"] = forms.IntegerField(
                label=_("Progress (%)"),
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            )
        elif goal.measure == Measure.METRIC:
            value.label = (
                _("Current value (%(unit)s)") % {"unit": goal.unit}
                if goal.unit
                else _("Current value")
            )
        elif goal.measure == Measure.KEY_RESULTS:
            value.label = _("New value")
        else:
            del self.fields["value"]  # a tasks goal moves with its tasks
        if goal.measure == Measure.KEY_RESULTS and entry is None:
            cast(
                forms.ModelChoiceField, self.fields["key_result"]
            ).queryset = goal.key_results.all()
        else:
            del self.fields["key_result"]
        if "value" in self.fields:
            self.fields["value"].required = goal.measure != Measure.MANUAL or entry is None

    def clean(self):
        cleaned = self.cleaned_data
        if (
            self.goal.measure == Measure.KEY_RESULTS
            and self.entry is None
            and cleaned.get("value") is not None
            and cleaned.get("key_result") is None
        ):
            self.add_error("key_result", _("Choose the key result this value is for."))
        return cleaned

    def check_in_fields(self) -> dict:
        """The cleaned data as the check-in services name it."""
        data: dict[str, Any] = {
            name: self.cleaned_data[name]
            for name in ("status", "note", "evidence_url")
            if name in self.cleaned_data
        }
        value = self.cleaned_data.get("value")
        if value is not None:
            data["progress" if self.goal.measure == Measure.MANUAL else "value"] = value
        if self.cleaned_data.get("key_result") is not None:
            data["key_result"] = self.cleaned_data["key_result"]
        return data

    @property
    def needs_confirmation(self) -> bool:
        """Valid, would complete the goal, and not confirmed yet."""
        if self.data.get("confirm") == "on" or self.goal.is_completed:
            return False
        if self.entry is not None and self.entry != self.goal.latest_check_in():
            return False  # an older check-in does not set where the goal stands now
        fields = self.check_in_fields()
        return (
            services.progress_after(
                self.goal,
                progress=fields.get("progress"),
                value=fields.get("value"),
                key_result=fields.get("key_result")
                or (self.entry.key_result if self.entry else None),
            )
            >= 100
        )


class KeyResultForm(forms.ModelForm):
    class Meta:
        model = KeyResult
        fields = ["title", "unit", "direction", "start_value", "target_value", "weight"]
        widgets = {
            "unit": forms.TextInput(attrs={"list": "unit-suggestions", "autocomplete": "off"})
        }
        help_texts = {"weight": _("1-10: its share of the goal's progress.")}
