from django.contrib.auth.decorators import login_required

from lib.web import render_page

from .registry import providers, section_of


@login_required
def integrations_page(request):
    """Settings → Integrations: each provider's own partial, with its state and actions."""
    sections = [section_of(provider, request.user) for provider in providers()]
    return render_page(request, "integrations/settings.html", {"sections": sections})
