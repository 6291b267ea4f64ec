from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

BASE64URL = RegexValidator(r"^[A-Za-z0-9_-]+={0,2}$", _("Not a base64url value."))


class SubscriptionForm(forms.Form):
    """A browser's `PushSubscription.toJSON()`, flattened: endpoint, keys.p256dh, keys.auth."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.CharField(max_length=200, validators=[BASE64URL])
    auth = forms.CharField(max_length=100, validators=[BASE64URL])


class UnsubscribeForm(forms.Form):
    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
