from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _


def get_or_404(queryset, pk):
    """`get_object_or_404` by primary key that also answers 404 for a malformed UUID."""
    try:
        return get_object_or_404(queryset, pk=pk)
    except (ValidationError, ValueError) as exc:
        raise Http404(_("No such object.")) from exc
