from django import forms

from bakhmach.web import DateInput
from plans.selectors import plans_of

from .models import Goal, ProgressEntry


class GoalForm(forms.ModelForm):
    """Create or edit a goal; `plan` offers only the user's own plans."""

    class Meta:
        model = Goal
        fields = ["title", "description", "plan", "domain", "target_date", "status"]
        widgets = {"target_date": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"status": "A completed goal counts as 100%."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans_of(user).only("id", "title")
        self.fields["plan"].empty_label = "No plan"

    def clean(self):
        cleaned_data = super().clean()
        # A status change also moves `completed_at` and progress (Goal.set_status, in the
        # service), so the constraints tying them are checked there, on the goal as saved.
        self._validate_constraints = False
        return cleaned_data


class ProgressForm(forms.ModelForm):
    class Meta:
        model = ProgressEntry
        fields = ["value", "note"]
        labels = {"value": "Progress (%)", "note": "What changed?"}
        widgets = {
            "value": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "note": forms.TextInput(attrs={"placeholder": "Optional note"}),
        }
