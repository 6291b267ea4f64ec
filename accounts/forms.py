from django import forms
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import TIMEZONES, User, UserSettings

AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
AVATAR_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
TIMEZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(TIMEZONES)]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "username"]
        help_texts = {"username": _("A short name others may know you by.")}

    def clean_username(self):
        return self.cleaned_data["username"] or None


# In the language of the page showing it ("2.0 MB", "2,0 МБ").
_max_size = lazy(lambda: filesizeformat(AVATAR_MAX_BYTES), str)()


class AvatarForm(forms.Form):
    avatar = forms.ImageField(
        label=_("New picture"),
        validators=[FileExtensionValidator(AVATAR_EXTENSIONS)],
        help_text=format_lazy(_("JPEG, PNG, WebP or GIF, up to {size}."), size=_max_size),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )

    def clean_avatar(self):
        avatar = self.cleaned_data["avatar"]
        if avatar.size > AVATAR_MAX_BYTES:
            raise forms.ValidationError(
                _("That picture is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(avatar.size), "limit": filesizeformat(AVATAR_MAX_BYTES)}
            )
        # ImageField has opened the file with Pillow; the extension alone proves nothing.
        if avatar.image.format not in AVATAR_FORMATS:
            raise forms.ValidationError(_("Upload a JPEG, PNG, WebP or GIF picture."))
        return avatar


class PreferencesForm(forms.ModelForm):
    # Zone names are IANA's, in English in every language (translate="no" says so).
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=TIMEZONE_CHOICES,
        widget=forms.Select(attrs={"translate": "no"}),
    )

    class Meta:
        model = UserSettings
        fields = ["timezone", "week_start", "language", "theme", "email_notifications"]
        labels = {
            "week_start": _("Weeks start on"),
            "email_notifications": _("Email me notifications"),
        }


class DeleteAccountForm(forms.Form):
    """Confirm with the password, or (an account without one) by typing the email address."""

    confirmation = forms.CharField(strip=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["confirmation"]
        if user.has_usable_password():
            field.label = _("Your password")
            field.widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})
        else:
            field.label = _("Type your email address (%(email)s) to confirm") % {
                "email": user.email
            }

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"]
        if self.user.has_usable_password():
            if not self.user.check_password(value):
                raise forms.ValidationError(_("That is not your password."))
        elif value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(_("That is not your email address."))
        return value
