from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from lib.web import INVALID, edit_form, form_status, posted, redirect_back, render_page, submit

from . import services
from .forms import AvatarForm, DeleteAccountForm, PreferencesForm, ProfileForm
from .timezones import DISMISSED_TIMEZONE_KEY, canonical_timezone

SETTINGS_TEMPLATE = "accounts/settings.html"


def _settings_page(request, status=200, **bound_forms):
    user = request.user
    forms = {
        "profile_form": edit_form(ProfileForm, user),
        "avatar_form": AvatarForm(),
        "preferences_form": edit_form(PreferencesForm, request.user_settings),
    } | bound_forms
    return render_page(request, SETTINGS_TEMPLATE, forms, status=status)


@login_required
def settings_page(request):
    return _settings_page(request)


@login_required
@require_POST
def profile_update(request):
    form = edit_form(ProfileForm, request.user, request.POST)
    if submit(form, lambda data: services.update_account(user=request.user, **data)):
        messages.success(request, _("Profile saved."))
        return redirect("accounts:settings")
    return _settings_page(request, status=INVALID, profile_form=form)


# Room in an avatar upload's body for the multipart envelope and the form's other fields.
AVATAR_FORM_OVERHEAD = 64 * 1024


@csrf_exempt  # CSRF is checked below, once the body is known to be small enough to read
@login_required
@require_POST
def avatar_update(request):
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if not declared.isdigit() or int(declared) > settings.AVATAR_MAX_BYTES + AVATAR_FORM_OVERHEAD:
        # Refused before a byte of the body is read; the connection closes so that the
        # unread rest is not taken for the next request.
        form = AvatarForm({})
        form.errors.clear()  # not "required": the one thing to say is the size
        form.add_error(
            "avatar",
            _("That picture is too big; the limit is %(limit)s.")
            % {"limit": filesizeformat(settings.AVATAR_MAX_BYTES)},
        )
        response = _settings_page(request, status=413, avatar_form=form)
        response["Connection"] = "close"
        return response
    return _avatar_update(request)


@csrf_protect
def _avatar_update(request):
    if "remove" in request.POST:
        services.update_account(user=request.user, avatar="")
        messages.success(request, _("Picture removed."))
        return redirect("accounts:settings")
    form = AvatarForm(request.POST, request.FILES)
    if form.is_valid():
        services.update_account(user=request.user, avatar=form.cleaned_data["avatar"])
        messages.success(request, _("Picture updated."))
        return redirect("accounts:settings")
    return _settings_page(request, status=INVALID, avatar_form=form)


@login_required
@require_POST
def preferences_update(request):
    form = edit_form(PreferencesForm, request.user_settings, request.POST)
    if submit(
        form,
        lambda data: services.update_settings(user_settings=request.user_settings, **data),
    ):
        # The page after the redirect, and this notice, are in the language just chosen.
        translation.activate(request.user_settings.language)
        messages.success(request, _("Preferences saved."))
        return _remember_language(redirect("accounts:settings"), request.user_settings.language)
    return _settings_page(request, status=INVALID, preferences_form=form)


@require_POST
def language_update(request):
    """The language switcher: a cookie for everyone, and the setting of a signed-in user."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Unknown language."), content_type="text/plain")
    if request.user.is_authenticated:
        services.update_settings(user_settings=request.user_settings, language=language)
    return _remember_language(redirect_back(request, "landing"), language)


def _remember_language(response, language):
    """The language cookie LocaleMiddleware reads, so the choice outlasts a sign-out."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=True,
    )
    return response


@login_required
@require_POST
def timezone_offer(request):
    """The banner's answer to "your browser is in another time zone": switch, or not now."""
    zone = canonical_timezone(request.POST.get("timezone"))
    if zone is None:
        messages.error(request, _("That is not a time zone we know; nothing was changed."))
    elif request.POST.get("action") == "switch":
        services.update_settings(user_settings=request.user_settings, timezone=zone)
        messages.success(request, _("Your time zone is now %(zone)s.") % {"zone": zone})
    else:
        request.session[DISMISSED_TIMEZONE_KEY] = zone
    return redirect_back(request, "dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    form = DeleteAccountForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=request.user)
        logout(request)
        messages.success(request, _("Your account is deleted. Thank you for using Bakhmach."))
        return redirect("landing")
    return render_page(request, "accounts/delete.html", {"form": form}, status=form_status(form))
