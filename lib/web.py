"""What the HTML pages share: page or partial, safe "next" redirects, form helpers."""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

# A form that fails validation answers 422; htmx is configured (base.html) to swap it like a 200.
INVALID = 422


def is_fragment_request(request) -> bool:
    """An htmx request that wants a fragment (a history restore wants the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_page(request, template_name, context, *, partial=None, status=200):
    """The full page, or for htmx `template_name#partial` of that same page."""
    name = (
        f"{template_name}#{partial}" if partial and is_fragment_request(request) else template_name
    )
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def redirect_back(request, default):
    """Redirect to the form's `next` (same site only), else to `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def submit(form, write):
    """Validate a bound form and hand its data to `write` (a service call).

    Returns what `write` returned, or None when the form is unbound or has errors; a
    ValidationError from the service lands on the form, next to the field it names.
    """
    if not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def form_status(form) -> int:
    """200 for a fresh form, 422 for one that came back with errors."""
    return INVALID if form.is_bound else 200


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields where it names one it shows."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def edit_form(form_class, obj, data=None, files=None, **kwargs):
    """A model form to change `obj`, bound to `data` if given.

    The form validates a copy: a model form writes the posted values onto its instance while
    validating, and the service must see the object as it is stored (a goal's old status, say).
    """
    return form_class(data, files, instance=copy.copy(obj), **kwargs)


def posted(request):
    """The form data of a POST (even an empty one, so it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None


class DateInput(forms.DateInput):
    """The browser's date picker; its value must be ISO 8601 whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
