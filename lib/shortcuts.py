from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404


def get_or_404(queryset, pk):
    """`get_object_or_404` by primary key that also answers 404 for a malformed UUID."""
    try:
        return get_object_or_404(queryset, pk=pk)
    except (ValidationError, ValueError) as exc:
        raise Http404("No such object.") from exc
