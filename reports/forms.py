from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Format


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[
            (Format.CSV, _("CSV — a ZIP with one spreadsheet per table")),
            (Format.PDF, _("PDF — the analytics page as a document")),
        ],
        initial=Format.CSV,
        widget=forms.RadioSelect,
        label=_("Format"),
    )
    bom = forms.BooleanField(
        required=False,
        label=_("Add a byte-order mark"),
        help_text=_(
            "For Microsoft Excel, so it reads Ukrainian and other non-Latin text correctly "
            "(CSV only)."
        ),
    )
