import datetime

from django import forms
from django.db.models import Q

from goals.selectors import goals_of
from lib.web import DateInput
from plans.selectors import plans_of

from .models import Task


def _goal_choices(user):
    return goals_of(user).only("id", "title", "plan")


class OwnGoalsMixin:
    """A task form for `user` (a keyword argument) whose `goal` offers only their own goals."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = _goal_choices(user)
        self.fields["goal"].empty_label = "No goal"


class TaskForm(OwnGoalsMixin, forms.ModelForm):
    """The full task form."""

    class Meta:
        model = Task
        fields = ["title", "description", "goal", "priority", "due_date"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}


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
    """The task list's filters; they live in the URL's query string."""

    STATUS_CHOICES = [("open", "Open"), ("done", "Done"), ("all", "All")]
    DUE_CHOICES = [
        ("", "Any time"),
        ("overdue", "Overdue"),
        ("today", "Due today"),
        ("week", "Due in the next 7 days"),
        ("none", "No due date"),
    ]

    q = forms.CharField(
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
    goal = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any goal")
    plan = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any plan")

    def __init__(self, data, *, user):
        super().__init__(data)
        self.fields["goal"].queryset = _goal_choices(user)
        self.fields["plan"].queryset = plans_of(user).only("id", "title")

    def filter(self, tasks, *, today: datetime.date):
        """`tasks` narrowed by the valid filters; an invalid one is shown, not applied."""
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        status = data.get("status") or "open"
        if status == "open":
            tasks = tasks.open()
        elif status == "done":
            tasks = tasks.completed()
        if data.get("priority"):
            tasks = tasks.filter(priority=data["priority"])
        due = data.get("due")
        if due == "overdue":
            tasks = tasks.overdue(today)
        elif due == "today":
            tasks = tasks.filter(due_date=today)
        elif due == "week":
            tasks = tasks.filter(due_date__range=(today, today + datetime.timedelta(days=7)))
        elif due == "none":
            tasks = tasks.filter(due_date__isnull=True)
        if data.get("goal"):
            tasks = tasks.filter(goal=data["goal"])
        if data.get("plan"):
            tasks = tasks.filter(goal__plan=data["plan"])
        if data.get("q"):
            tasks = tasks.filter(
                Q(title__icontains=data["q"]) | Q(description__icontains=data["q"])
            )
        return tasks

    @property
    def is_filtered(self):
        return any(
            self.data.get(name) for name in ("q", "priority", "due", "goal", "plan")
        ) or self.data.get("status") not in (None, "", "open")
