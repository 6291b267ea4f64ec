import re

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import SlackLink

# Public and private channel IDs start with C or G; D is a direct-message conversation.
channel_id_validator = RegexValidator(
    r"^[CGD][A-Z0-9]{6,}$",
    _("A channel ID looks like C0123ABCDEF (in Slack: channel details, at the bottom)."),
    flags=re.IGNORECASE,
)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = SlackLink
        fields = [
            "channel_id",
            "daily_plan",
            "daily_plan_time",
            "weekly_review",
            "weekly_review_time",
            "goal_completed",
            "goal_off_track",
            "task_reminders",
            "task_reminder_time",
            "reminder_messages",
        ]
        labels = {
            "channel_id": _("Post to channel"),
            "daily_plan": _("Daily plan"),
            "daily_plan_time": _("Daily plan at"),
            "weekly_review": _("Weekly review"),
            "weekly_review_time": _("Weekly review at (on the last day of your week)"),
            "goal_completed": _("A goal is completed"),
            "goal_off_track": _("A goal falls behind its target date"),
            "task_reminders": _("Task reminders"),
            "task_reminder_time": _("Remind me at"),
            "reminder_messages": _("Reminders set on tasks"),
        }
        help_texts = {
            "channel_id": _(
                "A channel ID; leave empty for a direct message from the bot. "
                "Invite the bot to the channel first (/invite @Bakhmach)."
            ),
            "daily_plan_time": _("Your local time; today's and overdue tasks, with Done buttons."),
            "task_reminder_time": _("The tasks due today that are still open, with Done buttons."),
            "reminder_messages": _(
                "Each reminder you set on a task also comes here, not only by email."
            ),
        }
        widgets = {
            "daily_plan_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "weekly_review_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "task_reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel_id"].validators.append(channel_id_validator)

    def clean_channel_id(self):
        return self.cleaned_data["channel_id"].strip().upper()
