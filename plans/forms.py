from django import forms
from django.utils.translation import gettext_lazy as _

from lib.web import DateInput

from .models import Plan, PlanReview


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "description", "vision", "start_date", "end_date", "review_cadence"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "vision": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "vision": _("Where do you want to be when this plan is done?"),
            "review_cadence": _("How often you step back and review the plan."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_cadence"].required = False

    def clean_review_cadence(self):
        # A form that leaves it out (an older client) keeps the plan's cadence.
        return self.cleaned_data["review_cadence"] or self.instance.review_cadence


class PlanReviewForm(forms.ModelForm):
    class Meta:
        model = PlanReview
        fields = ["went_well", "went_badly", "next"]
        labels = {
            "went_well": _("What went well?"),
            "went_badly": _("What didn't?"),
            "next": _("What next?"),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}


class PlanDeleteForm(forms.Form):
    cascade = forms.BooleanField(
        label=_("Also delete its goals"),
        required=False,
        help_text=_("Otherwise the goals stay, without a plan. Tasks always stay."),
    )
