"""The GitHub integration's pages: the OAuth connect flow, settings actions, the webhook."""

import json
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from integrations.registry import get_provider, section_of
from lib.web import is_fragment_request, render_page, submit

from . import services
from .client import GitHubError, exchange_code
from .client import authorize_url as github_authorize_url
from .forms import MappingForm, OptionsForm, RepositoriesForm
from .selectors import connection_of, get_mapping_or_404

SESSION_STATE = "integrations_github_state"
SETTINGS = "integrations:settings"


def _back(anchor="github"):
    return redirect(f"{reverse(SETTINGS)}#{anchor}")


def _errors_of(form) -> str:
    """A form's errors as one sentence for a message (the section's forms post and redirect)."""
    labels = {name: field.label or name for name, field in form.fields.items()}
    return " ".join(
        f"{labels.get(name, '').capitalize() + ': ' if name in labels else ''}{message}"
        for name, errors in form.errors.as_data().items()
        for error in errors
        for message in error.messages
    )


@login_required
@require_GET
def connect(request):
    """Off to GitHub's authorize page, for an authorization apart from sign-in."""
    if not settings.GITHUB_INTEGRATION_CLIENT_ID:
        messages.error(request, gettext("GitHub is not set up on this server (GITHUB_CLIENT_ID)."))
        return _back()
    state = secrets.token_urlsafe(24)
    request.session[SESSION_STATE] = state
    callback = request.build_absolute_uri(reverse("integrations:github:callback"))
    return redirect(github_authorize_url(redirect_uri=callback, state=state))


@login_required
@require_GET
def callback(request):
    """GitHub's redirect back: check the state, trade the code for a token, connect."""
    expected = request.session.pop(SESSION_STATE, "")
    state = request.GET.get("state", "")
    if not expected or not secrets.compare_digest(expected, state):
        messages.error(
            request, gettext("That GitHub authorization was not started here; try again.")
        )
        return _back()
    if "error" in request.GET or not request.GET.get("code"):
        messages.error(request, gettext("GitHub was not connected: access was not granted."))
        return _back()
    callback_url = request.build_absolute_uri(reverse("integrations:github:callback"))
    try:
        token, scopes = exchange_code(code=request.GET["code"], redirect_uri=callback_url)
        connection = services.connect(user=request.user, token=token, scopes=scopes)
    except GitHubError as exc:
        messages.error(request, gettext("GitHub was not connected: %(error)s") % {"error": exc})
        return _back()
    messages.success(
        request,
        gettext("GitHub connected as %(login)s. Pick the repositories to import from.")
        % {"login": connection.login},
    )
    return _back()


@login_required
@require_GET
def section(request):
    """The GitHub section alone, for htmx to refresh while a sync runs; else the page."""
    if not is_fragment_request(request):
        return _back()
    provider = get_provider("github")
    if provider is None:  # cannot be: the app registers it as it loads
        raise Http404(gettext("GitHub is not an integration here."))
    context = {"section": section_of(provider, request.user)}
    return render_page(request, "integrations/github/settings_section.html", context)


@login_required
@require_POST
def disconnect(request):
    services.disconnect(user=request.user)
    messages.success(
        request, gettext("GitHub disconnected; its token is deleted. Your tasks stay.")
    )
    return _back()


@login_required
@require_POST
def sync_now(request):
    try:
        services.request_sync(user=request.user, trigger="manual")
    except services.NotConnected as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, gettext("Syncing with GitHub; this page shows when it is done."))
    return _back()


@login_required
@require_POST
def repositories(request):
    form = RepositoriesForm(request.POST, user=request.user)
    selected = submit(
        form,
        lambda data: services.select_repositories(
            user=request.user, repository_ids=[repo.pk for repo in data["repositories"]]
        ),
    )
    if selected is None:
        messages.error(request, gettext("Choose among your own repositories."))
    else:
        messages.success(
            request,
            ngettext(
                "Importing from %(count)d repository from the next sync on.",
                "Importing from %(count)d repositories from the next sync on.",
                len(selected),
            )
            % {"count": len(selected)},
        )
    return _back("github-repositories")


@login_required
@require_POST
def options(request):
    connection = connection_of(request.user)
    if connection is None:
        messages.error(request, services.NOT_CONNECTED_MESSAGE)
        return _back()
    form = OptionsForm(request.POST, instance=connection)
    if form.is_valid():
        services.update_options(connection=connection, **form.cleaned_data)
        messages.success(request, gettext("Import options saved."))
    else:
        messages.error(request, _errors_of(form))
    return _back("github-options")


@login_required
@require_POST
def mapping_add(request):
    form = MappingForm(request.POST, user=request.user)
    if submit(form, lambda data: services.add_goal_mapping(user=request.user, **data)):
        messages.success(request, gettext("Mapping added: new imports with it go to that goal."))
    else:
        messages.error(request, _errors_of(form))
    return _back("github-mappings")


@login_required
@require_POST
def mapping_delete(request, pk):
    services.delete_goal_mapping(mapping=get_mapping_or_404(request.user, pk))
    messages.success(request, gettext("Mapping removed."))
    return _back("github-mappings")


@csrf_exempt
@require_POST
def webhook(request):
    """GitHub's deliveries: verified, kept, and worked on in a task; the answer is immediate."""
    body = request.body
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    repository = payload.get("repository") if isinstance(payload, dict) else None
    repository_id = repository.get("id") if isinstance(repository, dict) else None
    try:
        signer = services.verify_signature(
            body=body,
            signature=request.headers.get("X-Hub-Signature-256", ""),
            repository_id=repository_id,
        )
    except services.BadSignature as exc:
        return JsonResponse({"detail": str(exc)}, status=401)
    event = request.headers.get("X-GitHub-Event", "")
    if event == "ping":
        return HttpResponse(status=204)
    delivery_id = request.headers.get("X-GitHub-Delivery", "")
    if not isinstance(payload, dict) or not event or not 0 < len(delivery_id) <= 64:
        return JsonResponse(
            {"detail": "Expected a JSON delivery with X-GitHub-Event and X-GitHub-Delivery."},
            status=400,
        )
    if not services.receive_delivery(
        delivery_id=delivery_id, event=event, payload=payload, user=signer
    ):
        return JsonResponse({"detail": "This delivery was received before; ignored."})
    return JsonResponse({"detail": "Accepted."}, status=202)
