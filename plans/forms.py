from django import forms

from lib.web import DateInput

from .models import Plan


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "description", "vision", "start_date", "end_date"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "vision": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"vision": "Where do you want to be when this plan is done?"}


class PlanDeleteForm(forms.Form):
    cascade = forms.BooleanField(
        label="Also delete its goals",
        required=False,
        help_text="Otherwise the goals stay, without a plan. Tasks always stay.",
    )
