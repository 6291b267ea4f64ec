import datetime
from typing import cast

from django import forms

from goals.models import Goal
from goals.selectors import goals_of
from lib.web import DateInput
from plans.models import Plan
from plans.selectors import plans_of

from .models import Task


def _goal_choices(user):
    return goals_of(user).only("id", "title", "plan")


def _choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class OwnGoalsMixin(forms.BaseForm):
    """A task form for `user` (a keyword argument) whose `goal` offers only their own goals."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        goal = _choice_field(self, "goal")
        goal.queryset = _goal_choices(user)
        goal.empty_label = "No goal"


class TaskForm(OwnGoalsMixin, forms.ModelForm):
    """The full task form."""

    class Meta:
        model = Task
        fields = ["title", "description", "goal", "priority", "due_date", "private"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}
        labels = {"private": "Private"}
        help_texts = {"private": "Never shown on a plan's shared page."}


class QuickAddForm(OwnGoalsMixin, forms.ModelForm):
    """One line: a title, optionally a due date and goal."""

    class Meta:
        model = Task
        fields = ["title", "due_date", "goal"]
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": "Add a task…", "autocomplete": "off"}),
            "due_date": DateInput(),
        }
        labels = {"title": "New task", "due_date": "Due", "goal": "Goal"}

    def __init__(self, *args, **kwargs):
        # Ids of its own: it shares the task list page with the filters, which have a goal too.
        kwargs.setdefault("auto_id", "quick-add-%s")
        super().__init__(*args, **kwargs)


class TitleForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title"]
        widgets = {"title": forms.TextInput(attrs={"autocomplete": "off"})}


class TaskFilterForm(forms.Form):
    """The task list page's filters; they live in the URL's query string.

    It only parses: `filters()` gives `TaskFilter`'s names and values for the `task_list`
    selector. `search`, `priority`, `goal` and `pdp` are named and mean as in the API; `status`
    (open by default) and `due` (a window around today) are the page's choices, which it
    spells in the API's terms.
    """

    STATUS_CHOICES = [("open", "Open"), ("done", "Done"), ("all", "All")]
    DUE_CHOICES = [
        ("", "Any time"),
        ("overdue", "Overdue"),
        ("today", "Due today"),
        ("week", "Due in the next 7 days"),
        ("none", "No due date"),
    ]

    search = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Search titles and notes"}),
    )
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    priority = forms.TypedChoiceField(
        choices=[("", "Any priority"), *Task.Priority.choices], coerce=int, required=False
    )
    due = forms.ChoiceField(label="Due", choices=DUE_CHOICES, required=False)
    # The choices are the user's: see __init__.
    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(), required=False, empty_label="Any goal"
    )
    pdp = forms.ModelChoiceField(
        label="Plan", queryset=Plan.objects.none(), required=False, empty_label="Any plan"
    )

    COMPLETED = {"open": False, "done": True, "all": None}

    def __init__(self, data, *, user):
        super().__init__(data)
        _choice_field(self, "goal").queryset = _goal_choices(user)
        _choice_field(self, "pdp").queryset = plans_of(user).only("id", "title")

    def filters(self, *, today: datetime.date) -> dict:
        """The valid filters as `TaskFilter` names and values; an invalid one is shown on the
        form and not applied."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        filters = {
            "completed": self.COMPLETED[data.get("status") or "open"],
            "priority": data.get("priority"),
            "goal": data.get("goal"),
            "pdp": data.get("pdp"),
            "search": data.get("search"),
        }
        due = data.get("due")
        if due == "overdue":
            filters["overdue"] = True
        elif due == "today":
            filters |= {"due_after": today, "due_before": today}
        elif due == "week":
            filters |= {"due_after": today, "due_before": today + datetime.timedelta(days=7)}
        elif due == "none":
            filters["has_due_date"] = False
        return filters

    @property
    def is_filtered(self):
        return any(
            self.data.get(name) for name in ("search", "priority", "due", "goal", "pdp")
        ) or self.data.get("status") not in (None, "", "open")
