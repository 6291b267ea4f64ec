import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from goals.models import Goal
from goals.selectors import goals_of
from lib.web import DateInput
from plans.models import Plan
from plans.selectors import plans_of

from . import recurrence, services
from .models import Label, Subtask, Task
from .parsing import parse_quick_add

# The longest line quick add reads.
MAX_QUICK_ADD_LINE = 1000


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
        goal.empty_label = gettext("No goal")


class RepeatField(forms.CharField):
    """A repeat rule as people say it ("every monday", "щопонеділка", "every 2 weeks") or as an
    RFC 5545 RRULE; cleaned to the RRULE, "" for none."""

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return ""
        if not text.upper().startswith(("FREQ=", "RRULE:")):
            said = parse_quick_add(f"x {text}", today=datetime.date.today()).recurrence
            if said is None:
                raise forms.ValidationError(
                    gettext(
                        "Say it like “every monday”, “every 2 weeks”, “every month on the 15th” "
                        "or give an RRULE such as FREQ=WEEKLY;BYDAY=MO,TH."
                    )
                )
            text = said
        try:
            return recurrence.normalize(text)
        except recurrence.InvalidRule as exc:
            raise forms.ValidationError(str(exc)) from None


class TaskForm(OwnGoalsMixin, forms.ModelForm):
    """The full task form: what, when (date, time, repeat), labels and a reminder.

    Editing a recurring task asks what a new date is for: this occurrence or all future ones.
    """

    REMINDER_CHOICES = [
        ("", _("No reminder")),
        ("0", _("At the due time")),
        ("10", _("10 minutes before")),
        ("30", _("30 minutes before")),
        ("60", _("1 hour before")),
        ("180", _("3 hours before")),
        ("1440", _("1 day before")),
        ("10080", _("1 week before")),
    ]

    recurrence = RepeatField(
        label=_("Repeat"),
        required=False,
        max_length=recurrence.MAX_LENGTH,
        help_text=_(
            "Such as “every weekday”, “every mon and thu”, “every month on the 15th”, "
            "“every last friday” — or an RRULE."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("Does not repeat")}),
    )
    recurs_after_completion = forms.BooleanField(
        label=_("Count the next date from when I complete it (a habit)"), required=False
    )
    labels = forms.ModelMultipleChoiceField(
        label=_("Labels"),
        queryset=Label.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remind_before = forms.ChoiceField(
        label=_("Remind me"), choices=REMINDER_CHOICES, required=False,
        help_text=_("By email; a task without a time is due at 09:00."),
    )  # fmt: skip
    remind_at = forms.DateTimeField(
        label=_("Or remind me at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    scope = forms.ChoiceField(
        label=_("Apply a new date to"),
        choices=[
            (services.THIS_OCCURRENCE, _("This occurrence only")),
            (services.ALL_FUTURE, _("This and all future occurrences")),
        ],
        initial=services.ALL_FUTURE,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("A new repeat rule always applies to this and all future occurrences."),
    )

    class Meta:
        model = Task
        fields = [
            "title",
            "description",
            "goal",
            "priority",
            "due_date",
            "due_time",
            "recurrence",
            "recurs_after_completion",
            "labels",
            "private",
        ]
        widgets = {
            "due_date": DateInput(),
            "due_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"due_time": _("Time"), "private": _("Private")}
        help_texts = {"private": _("Never shown on a plan's shared page.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        _choice_field(self, "labels").queryset = Label.objects.owned_by(user)
        task = self.instance
        if task.pk is None or not task.is_recurring:
            del self.fields["scope"]
        if task.pk is not None:
            reminders = list(task.reminders.all())
            before = next((r.minutes_before for r in reminders if r.fixed_at is None), None)
            fixed = next((r.fixed_at for r in reminders if r.fixed_at is not None), None)
            if before is not None:
                self.initial["remind_before"] = str(before)
                choices = dict(self.REMINDER_CHOICES)
                if str(before) not in choices:
                    cast(forms.ChoiceField, self.fields["remind_before"]).choices = [
                        *self.REMINDER_CHOICES,
                        (str(before), f"{before} minutes before"),
                    ]
            if fixed is not None:
                self.initial["remind_at"] = timezone.localtime(fixed)

    def clean_remind_before(self):
        value = self.cleaned_data.get("remind_before")
        return int(value) if value not in (None, "") else None

    def service_fields(self) -> dict:
        """The cleaned data as `services.create_task` / `update_task` take it."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name != "labels"}
        fields["labels"] = list(data["labels"])
        reminders = []
        if data.get("remind_before") is not None:
            reminders.append({"minutes_before": data["remind_before"]})
        if data.get("remind_at") is not None:
            reminders.append({"fixed_at": data["remind_at"]})
        fields["reminders"] = reminders
        if "scope" in self.fields:
            fields["scope"] = data.get("scope") or services.ALL_FUTURE
        return fields


class QuickAddForm(OwnGoalsMixin, forms.ModelForm):
    """One line, read as natural language ("Call mom tomorrow 18:00 p1 #family"); optionally
    a due date and goal beside it."""

    # The line, longer than a title: `services.quick_add` takes the title out of it.
    title = forms.CharField(
        label=_("New task"),
        max_length=MAX_QUICK_ADD_LINE,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Add a task… e.g. “Call mom tomorrow 18:00 p1 #family”"),
                "autocomplete": "off",
            }
        ),
    )

    class Meta:
        model = Task
        fields = ["title", "due_date", "goal"]
        widgets = {"due_date": DateInput()}
        labels = {"due_date": pgettext_lazy("filter by due date", "Due"), "goal": _("Goal")}

    def __init__(self, *args, **kwargs):
        # Ids of its own: it shares the task list page with the filters, which have a goal too.
        kwargs.setdefault("auto_id", "quick-add-%s")
        super().__init__(*args, **kwargs)

    def _post_clean(self):
        """The line is read by `services.quick_add`, not set on a task as it is."""


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

    STATUS_CHOICES = [
        ("open", pgettext_lazy("task status filter", "Open")),
        ("done", pgettext_lazy("task status filter", "Done")),
        ("all", pgettext_lazy("task status filter", "All")),
    ]
    DUE_CHOICES = [
        ("", _("Any time")),
        ("overdue", _("Overdue")),
        ("today", _("Due today")),
        ("week", _("Due in the next 7 days")),
        ("later", _("Due after today")),
        ("none", _("No due date")),
    ]

    search = forms.CharField(
        label=pgettext_lazy("noun", "Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Search titles and notes")}
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", _("Any priority")), *Task.Priority.choices],
        coerce=int,
        required=False,
    )
    due = forms.ChoiceField(
        label=pgettext_lazy("filter by due date", "Due"), choices=DUE_CHOICES, required=False
    )
    # The choices are the user's: see __init__.
    goal = forms.ModelChoiceField(
        label=_("Goal"), queryset=Goal.objects.none(), required=False, empty_label=_("Any goal")
    )
    pdp = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.none(), required=False, empty_label=_("Any plan")
    )
    label = forms.ModelChoiceField(
        label=_("Label"),
        queryset=Label.objects.none(),
        required=False,
        empty_label=_("Any label"),
    )

    COMPLETED = {"open": False, "done": True, "all": None}

    def __init__(self, data, *, user):
        super().__init__(data)
        _choice_field(self, "goal").queryset = _goal_choices(user)
        _choice_field(self, "pdp").queryset = plans_of(user).only("id", "title")
        _choice_field(self, "label").queryset = Label.objects.owned_by(user).only("id", "name")

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
            "label": data.get("label"),
            "search": data.get("search"),
        }
        due = data.get("due")
        if due == "overdue":
            filters["overdue"] = True
        elif due == "today":
            filters |= {"due_after": today, "due_before": today}
        elif due == "week":
            filters |= {"due_after": today, "due_before": today + datetime.timedelta(days=7)}
        elif due == "later":  # the board's "Upcoming" column
            filters["due_after"] = today + datetime.timedelta(days=1)
        elif due == "none":
            filters["has_due_date"] = False
        return filters

    @property
    def is_filtered(self):
        return any(
            self.data.get(name) for name in ("search", "priority", "due", "goal", "pdp", "label")
        ) or self.data.get("status") not in (None, "", "open")


class BulkForm(forms.Form):
    """The task list's bulk bar: an action for the ticked tasks (only the user's own)."""

    COMPLETE, MOVE, LABEL, UNLABEL, RESCHEDULE, DELETE = (
        "complete",
        "move",
        "label",
        "unlabel",
        "reschedule",
        "delete",
    )
    ACTIONS = [
        (COMPLETE, _("Complete")),
        (MOVE, _("Move to goal")),
        (LABEL, _("Add label")),
        (UNLABEL, _("Remove label")),
        (RESCHEDULE, _("Reschedule")),
        (DELETE, _("Delete")),
    ]

    tasks = forms.ModelMultipleChoiceField(
        queryset=Task.objects.none(),
        error_messages={
            "required": _("Tick the tasks to change first."),
            "invalid_choice": _("Some of the ticked tasks no longer exist. Reload the page."),
            "invalid_pk_value": _("Some of the ticked tasks no longer exist. Reload the page."),
        },
    )
    action = forms.ChoiceField(choices=ACTIONS)
    # The choices are the user's: see __init__.
    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(), required=False, empty_label=_("No goal"), label=_("Goal")
    )
    label = forms.ModelChoiceField(
        queryset=Label.objects.none(),
        required=False,
        empty_label=_("Choose a label"),
        label=_("Label"),
    )
    due_date = forms.DateField(required=False, widget=DateInput(), label=_("New due date"))

    def __init__(self, data=None, *, user):
        super().__init__(data, auto_id="bulk-%s")
        _choice_field(self, "tasks").queryset = Task.objects.owned_by(user).only("id")
        _choice_field(self, "goal").queryset = _goal_choices(user)
        _choice_field(self, "label").queryset = Label.objects.owned_by(user).only("id", "name")

    def clean(self):
        data = super().clean() or {}
        if data.get("action") in (self.LABEL, self.UNLABEL) and not data.get("label"):
            self.add_error("label", gettext("Choose the label."))
        return data


class LabelForm(forms.ModelForm):
    class Meta:
        model = Label
        fields = ["name", "color"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off", "placeholder": "family"}),
            "color": forms.TextInput(attrs={"type": "color"}),
        }
        labels = {"name": _("Name"), "color": _("Colour")}

    def _post_clean(self):
        """The label service validates the label (uniqueness needs its user)."""


class SubtaskForm(forms.ModelForm):
    class Meta:
        model = Subtask
        fields = ["title"]
        widgets = {
            "title": forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("Add a step…")})
        }
        labels = {"title": _("New checklist item")}
