from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import User, UserSettings
from .timezones import canonical_timezone, timezone_choices

AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
AVATAR_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "username"]
        help_texts = {"username": "A short name others may know you by."}

    def clean_username(self):
        return self.cleaned_data["username"] or None


class AvatarForm(forms.Form):
    avatar = forms.ImageField(
        label="New picture",
        validators=[FileExtensionValidator(AVATAR_EXTENSIONS)],
        help_text=f"JPEG, PNG, WebP or GIF, up to {filesizeformat(AVATAR_MAX_BYTES)}.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )

    def clean_avatar(self):
        avatar = self.cleaned_data["avatar"]
        if avatar.size > AVATAR_MAX_BYTES:
            raise forms.ValidationError(
                f"That picture is {filesizeformat(avatar.size)}; the limit is "
                f"{filesizeformat(AVATAR_MAX_BYTES)}."
            )
        # ImageField has opened the file with Pillow; the extension alone proves nothing.
        if avatar.image.format not in AVATAR_FORMATS:
            raise forms.ValidationError("Upload a JPEG, PNG, WebP or GIF picture.")
        return avatar


class PreferencesForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"))

    class Meta:
        model = UserSettings
        fields = ["timezone", "week_start", "language", "theme", "email_notifications"]
        labels = {"week_start": "Weeks start on", "email_notifications": "Email me notifications"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone_field = self.fields["timezone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = timezone_choices(current=self.instance.timezone)


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with the browser's time zone, which static/js/timezone.js fills in."""

    timezone = forms.CharField(
        required=False,
        max_length=64,
        widget=forms.HiddenInput(attrs={"data-browser-timezone": ""}),
    )

    def clean_timezone(self):
        # A hidden field the person cannot correct: an unknown zone is dropped, not an error.
        return canonical_timezone(self.cleaned_data["timezone"])


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
