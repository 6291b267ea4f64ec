from django import forms

from .models import Format


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[
            (Format.CSV, "CSV — a ZIP with one spreadsheet per table"),
            (Format.PDF, "PDF — the analytics page as a document"),
        ],
        initial=Format.CSV,
        widget=forms.RadioSelect,
        label="Format",
    )
    bom = forms.BooleanField(
        required=False,
        label="Add a byte-order mark",
        help_text="For Microsoft Excel, so it reads Ukrainian and other non-Latin text correctly "
        "(CSV only).",
    )
