"""Slack's side (commands, buttons, events: signed, answered at once, worked on in tasks) and
the user's side (Add to Slack, the settings page)."""

import json
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from lib.web import INVALID, edit_form, render_page, submit

from . import client, provider, selectors, services, signing, tasks
from .forms import PreferencesForm

SETTINGS_TEMPLATE = "slack/settings.html"
BOT_SCOPES = ["chat:write", "commands", "im:write"]
STATE_SESSION_KEY = "slack_oauth_state"


def _from_slack(view):
    """Slack's requests: POST only, no CSRF token (the signature is the proof), and refused
    with 401 before anything is read or written unless signed, fresh and new."""

    @csrf_exempt
    @require_POST
    def verified(request):
        if not signing.is_genuine(request):
            return JsonResponse({"detail": "Invalid or stale Slack signature."}, status=401)
        return view(request)

    verified.__name__ = view.__name__
    verified.__doc__ = view.__doc__
    return verified


@_from_slack
def slack_commands(request):
    """A slash command: acknowledged at once (Slack waits 3 s), answered via response_url."""
    form = request.POST
    if not client.is_response_url(form.get("response_url", "")):
        return JsonResponse({"detail": "A command needs Slack's response_url."}, status=400)
    job = (
        form.get("team_id", ""),
        form.get("user_id", ""),
        form.get("command", ""),
        form.get("text", ""),
        form.get("response_url", ""),
    )
    transaction.on_commit(lambda: tasks.run_command.delay(*job))
    return HttpResponse(status=200)


@_from_slack
def slack_interactions(request):
    """A button on one of our messages: acknowledged at once, handled in a task."""
    try:
        payload = json.loads(request.POST.get("payload", ""))
    except ValueError:
        return JsonResponse({"detail": "The payload is not JSON."}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"detail": "The payload is not an object."}, status=400)
    if payload.get("type") == "block_actions" and client.is_response_url(
        payload.get("response_url")
    ):
        transaction.on_commit(lambda: tasks.run_interaction.delay(payload))
    return HttpResponse(status=200)


@_from_slack
def slack_events(request):
    """The Events API: the URL check, and uninstalls (handled here: a delete is quick)."""
    try:
        body = json.loads(request.body)
    except ValueError:
        return JsonResponse({"detail": "The body is not JSON."}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"detail": "The body is not an object."}, status=400)
    if body.get("type") == "url_verification":
        return JsonResponse({"challenge": body.get("challenge", "")})
    if body.get("type") == "event_callback":
        services.handle_event(body=body)
    return HttpResponse(status=200)


def _redirect_uri(request) -> str:
    return request.build_absolute_uri(reverse("slack:oauth_callback"))


@login_required
@require_GET
def slack_install(request):
    """Add to Slack: off to Slack's consent page, with a state only this session knows."""
    if not settings.SLACK_CLIENT_ID:
        messages.error(
            request, gettext("Slack is not set up on this server yet (SLACK_CLIENT_ID).")
        )
        return redirect("slack:settings")
    state = secrets.token_urlsafe(24)
    request.session[STATE_SESSION_KEY] = state
    query = urlencode(
        {
            "client_id": settings.SLACK_CLIENT_ID,
            "scope": ",".join(BOT_SCOPES),
            "redirect_uri": _redirect_uri(request),
            "state": state,
        }
    )
    return redirect(f"{settings.SLACK_URL}/oauth/v2/authorize?{query}")


@login_required
@require_GET
def slack_oauth_callback(request):
    expected = request.session.pop(STATE_SESSION_KEY, None)
    state = request.GET.get("state", "")
    if not expected or not secrets.compare_digest(expected, state):
        messages.error(
            request, gettext("That Slack sign-in link is stale; please add to Slack again.")
        )
        return redirect("slack:settings")
    if "error" in request.GET or not request.GET.get("code"):
        messages.error(request, gettext("Slack was not connected: the request was cancelled."))
        return redirect("slack:settings")
    try:
        link = services.install(
            user=request.user, code=request.GET["code"], redirect_uri=_redirect_uri(request)
        )
    except client.SlackError as error:
        messages.error(
            request,
            gettext("Slack refused the connection (%(error)s); try again.")
            % {"error": error.error},
        )
        return redirect("slack:settings")
    messages.success(
        request, gettext("Slack connected: %(workspace)s.") % {"workspace": link.workspace}
    )
    return redirect("slack:settings")


def _settings_page(request, *, status=200, form=None):
    link = selectors.link_of(request.user)
    context = {
        "link": link,
        "state": provider.state(request.user),
        "form": form or (edit_form(PreferencesForm, link) if link else None),
        "configured": bool(settings.SLACK_CLIENT_ID),
        "deliveries": selectors.recent_deliveries(request.user),
    }
    return render_page(request, SETTINGS_TEMPLATE, context, status=status)


@login_required
@require_GET
def slack_settings(request):
    return _settings_page(request)


@login_required
@require_POST
def slack_preferences(request):
    link = selectors.link_of(request.user)
    if link is None:
        messages.error(request, gettext("Connect Slack first."))
        return redirect("slack:settings")
    form = edit_form(PreferencesForm, link, request.POST)
    if submit(form, lambda data: services.update_preferences(link=link, **data)):
        messages.success(request, gettext("Slack notifications saved."))
        return redirect("slack:settings")
    return _settings_page(request, status=INVALID, form=form)


@login_required
@require_POST
def slack_disconnect(request):
    services.disconnect(user=request.user)
    messages.success(request, gettext("Slack disconnected; its token is deleted."))
    return redirect("slack:settings")
