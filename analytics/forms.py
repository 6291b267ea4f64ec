from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy

from .periods import validate_range


class PeriodForm(forms.Form):
    """The period of the productivity figures: this week or month, or a `from`..`to` range."""

    period = forms.ChoiceField(
        label=pgettext_lazy("noun", "Period"),
        choices=[
            ("week", pgettext_lazy("period", "This week")),
            ("month", pgettext_lazy("period", "This month")),
        ],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # `from` is a Python keyword, so these fields are added under their query names here.
        self.fields["from"] = forms.DateField(
            label=gettext("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
        self.fields["to"] = forms.DateField(
            label=gettext("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        cleaned["period"] = cleaned.get("period") or "week"
        if "from" in cleaned and "to" in cleaned:
            try:
                validate_range(cleaned["from"], cleaned["to"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field, errors)
        return cleaned
