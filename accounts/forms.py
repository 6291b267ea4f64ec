from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.internal.flows.login import perform_login
from allauth.account.internal.flows.signup import complete_signup
from allauth.account.models import Login
from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from . import avatars
from .models import User, UserSettings
from .timezones import canonical_timezone, timezone_choices

AVATAR_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "username"]
        help_texts = {"username": _("A short name others may know you by.")}

    def clean_username(self):
        return self.cleaned_data["username"] or None


class AvatarForm(forms.Form):
    # A FileField, not an ImageField: `avatars.reencode` opens the file itself, and only after
    # its header has shown a size within the pixel limit.
    avatar = forms.FileField(
        label=_("New picture"),
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
    # Zone names are IANA's, in English in every language (translate="no" says so).
    timezone = forms.ChoiceField(
        label=_("Time zone"), widget=forms.Select(attrs={"translate": "no"})
    )

    class Meta:
        model = UserSettings
        fields = ["timezone", "week_start", "language", "theme", "email_notifications"]
        labels = {
            "week_start": _("Weeks start on"),
            "email_notifications": _("Email me notifications"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone_field = self.fields["timezone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = timezone_choices(current=self.instance.timezone)


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


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up with the browser's time zone (static/js/timezone.js fills it in),
    answering alike for a taken address and a new one.

    allauth hides a taken address only when every account must confirm its email before
    signing in (ACCOUNT_EMAIL_VERIFICATION "mandatory"); ours is "optional", so a sign-up
    confirms by email whatever the address: a new one gets its account and a link that signs
    it in, a taken one no account and an email to its owner. Both end on the "check your
    inbox" page, signed out.
    """

    timezone = forms.CharField(
        required=False,
        max_length=64,
        widget=forms.HiddenInput(attrs={"data-browser-timezone": ""}),
    )

    def clean_timezone(self):
        # A hidden field the person cannot correct: an unknown zone is dropped, not an error.
        return canonical_timezone(self.cleaned_data["timezone"])

    def validate_unique_email(self, value):
        # What allauth's own check does under enumeration prevention, without its error.
        self.account_already_exists = User.objects.filter(email__iexact=value).exists()
        return get_account_adapter().validate_unique_email(value)

    def try_save(self, request):
        confirm = EmailVerificationMethod.MANDATORY
        if self.account_already_exists:
            email = self.cleaned_data["email"]
            User().set_password(self.cleaned_data["password1"])  # as long as a new account
            login = Login(user=None, email=email, signup=True, email_verification=confirm)
            return None, perform_login(request, login)
        user = self.save(request)
        return user, complete_signup(request, user=user, email_verification=confirm)
