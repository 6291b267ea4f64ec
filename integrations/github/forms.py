from django import forms

from goals.selectors import goals_of

from .models import Connection, GoalMapping
from .selectors import repositories_of


class RepositoriesForm(forms.Form):
    repositories = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Import from",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = self.fields["repositories"]
        choices.queryset = repositories_of(user)
        choices.label_from_instance = lambda repo: repo.full_name
        if not self.is_bound:
            self.initial["repositories"] = [repo.pk for repo in choices.queryset if repo.selected]


class OptionsForm(forms.ModelForm):
    class Meta:
        model = Connection
        fields = ["import_authored", "import_label"]
        labels = {"import_authored": "Also issues I opened", "import_label": "Only with label"}


class MappingForm(forms.ModelForm):
    class Meta:
        model = GoalMapping
        fields = ["kind", "name", "goal"]
        labels = {"kind": "When the issue has this", "name": "named", "goal": "it goes to goal"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals_of(user)
        self.instance.user = user
