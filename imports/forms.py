from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .parsers import MAX_BYTES, MAX_ROWS


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=format_lazy(
            _(
                "A Todoist export (Todoist: project menu → “Export as a template” → CSV), or a "
                "spreadsheet saved as CSV with the columns title, due, priority, labels, goal "
                "and description. Up to {rows} rows, {megabytes} MB."
            ),
            rows=MAX_ROWS,
            megabytes=MAX_BYTES // (1024 * 1024),
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(megabytes)d MB.")
                % {"megabytes": MAX_BYTES // (1024 * 1024)}
            )
        return upload
