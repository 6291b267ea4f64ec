from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.selectors import goals_of

from .models import Connection, GoalMapping, Repository
from .selectors import repositories_of


class RepositoriesForm(forms.Form):
    repositories: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=Repository.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Import from"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = cast(forms.ModelMultipleChoiceField, self.fields["repositories"])
        choices.queryset = repositories_of(user)
        if not self.is_bound:
            self.initial["repositories"] = [
                repo.pk for repo in repositories_of(user) if repo.selected
            ]


class OptionsForm(forms.ModelForm):
    class Meta:
        model = Connection
        fields = ["import_authored", "import_label"]
        labels = {
            "import_authored": _("Also issues I opened"),
            "import_label": _("Only with label"),
        }


class MappingForm(forms.ModelForm):
    class Meta:
        model = GoalMapping
        fields = ["kind", "name", "goal"]
        labels = {
            "kind": _("When the issue has this"),
            "name": "named",
            "goal": _("it goes to goal"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["goal"]).queryset = goals_of(user)
        self.instance.user = user
