from typing import cast

from django import forms

from lib.web import DateInput
from plans.selectors import plans_of

from .models import Goal, ProgressEntry


class GoalForm(forms.ModelForm):
    """Create or edit a goal; `plan` offers only the user's own plans.

    A status change also moves `completed_at` and progress (Goal.set_status, in the service).
    Left out of the form, they exclude the constraints tying them to `status` from the form's
    checks (Django skips a constraint on an excluded field); the service checks those on the
    goal as saved.
    """

    class Meta:
        model = Goal
        fields = ["title", "description", "plan", "domain", "target_date", "status"]
        widgets = {"target_date": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"status": "A completed goal counts as 100%."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        plan = cast(forms.ModelChoiceField, self.fields["plan"])
        plan.queryset = plans_of(user).only("id", "title")
        plan.empty_label = "No plan"


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ProgressEntry
        fields = ["value", "note"]
        labels = {"value": "Progress (%)", "note": "What changed?"}
        widgets = {
            "value": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "note": forms.TextInput(attrs={"placeholder": "Optional note"}),
        }
