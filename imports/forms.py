from django import forms

from .parsers import MAX_BYTES, MAX_ROWS


class UploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text=(
            "A Todoist export (Todoist: project menu → “Export as a template” → CSV), or a "
            "spreadsheet saved as CSV with the columns title, due, priority, labels, goal and "
            f"description. Up to {MAX_ROWS} rows, {MAX_BYTES // (1024 * 1024)} MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        return upload
