from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from . import avatars
from .models import TIMEZONES, User, UserSettings

AVATAR_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
TIMEZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(TIMEZONES)]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "username"]
        help_texts = {"username": "A short name others may know you by."}

    def clean_username(self):
        return self.cleaned_data["username"] or None


class AvatarForm(forms.Form):
    # A FileField, not an ImageField: `avatars.reencode` opens the file itself, and only after
    # its header has shown a size within the pixel limit.
    avatar = forms.FileField(
        label="New picture",
        validators=[FileExtensionValidator(AVATAR_EXTENSIONS)],
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["avatar"].help_text = _(
            "JPEG, PNG, WebP or GIF, up to %(size)s and %(side)s by %(side)s pixels."
        ) % {"size": filesizeformat(settings.AVATAR_MAX_BYTES), "side": settings.AVATAR_MAX_SIDE}

    def clean_avatar(self):
        """The clean copy to store (metadata stripped), not the upload."""
        return avatars.reencode(self.cleaned_data["avatar"])


class PreferencesForm(forms.ModelForm):
    timezone = forms.ChoiceField(label="Time zone", choices=TIMEZONE_CHOICES)

    class Meta:
        model = UserSettings
        fields = ["timezone", "week_start", "language", "theme", "email_notifications"]
        labels = {"week_start": "Weeks start on", "email_notifications": "Email me notifications"}


class DeleteAccountForm(forms.Form):
    """Confirm with the password, or (an account without one) by typing the email address."""

    confirmation = forms.CharField(strip=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["confirmation"]
        if user.has_usable_password():
            field.label = "Your password"
            field.widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})
        else:
            field.label = f"Type your email address ({user.email}) to confirm"

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"]
        if self.user.has_usable_password():
            if not self.user.check_password(value):
                raise forms.ValidationError("That is not your password.")
        elif value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError("That is not your email address.")
        return value
