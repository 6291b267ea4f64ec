"""Reads of the GitHub integration."""

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.github.views import github_web_url
from goals.selectors import goals_of
from integrations.registry import ProviderState

from .models import Connection, GoalMapping, Item, Repository, SyncRun


def connection_of(user) -> Connection | None:
    return Connection.objects.filter(user=user).first()


def repositories_of(user):
    return Repository.objects.owned_by(user)


def get_repository_or_404(user, pk) -> Repository:
    return get_object_or_404(repositories_of(user), pk=pk)


def mappings_of(user):
    return GoalMapping.objects.filter(user=user).select_related("goal")


def get_mapping_or_404(user, pk) -> GoalMapping:
    return get_object_or_404(mappings_of(user), pk=pk)


def items_of(user):
    return Item.objects.owned_by(user).select_related("repository", "task")


def get_sync_or_404(user, pk) -> SyncRun:
    return get_object_or_404(SyncRun.objects.owned_by(user), pk=pk)


def item_counts(user) -> dict:
    """What was imported: issues and pull requests, open, done, merged, no longer assigned."""
    return Item.objects.owned_by(user).aggregate(
        issues=Count("pk", filter=Q(kind=Item.Kind.ISSUE)),
        pulls=Count("pk", filter=Q(kind=Item.Kind.PULL)),
        open=Count("pk", filter=Q(state=Item.State.OPEN)),
        closed=Count("pk", filter=Q(state=Item.State.CLOSED)),
        merged=Count("pk", filter=Q(state=Item.State.MERGED)),
        evidence=Count("pk", filter=Q(evidence_at__isnull=False)),
        unassigned=Count("pk", filter=Q(assigned=False)),
    )


def provider_state(user) -> ProviderState:
    connection = connection_of(user)
    if connection is None:
        return {"connected": False, "state": "disconnected", "last_sync_at": None, "error": ""}
    if connection.needs_reconnect:
        state, connected = "reconnect", False
    elif SyncRun.objects.owned_by(user).pending().exists():
        state, connected = "syncing", True
    else:
        state, connected = ("error" if connection.last_error else "connected"), True
    return {
        "connected": connected,
        "state": state,
        "last_sync_at": connection.last_sync_at,
        "error": connection.last_error,
    }


def settings_context(user) -> dict:
    """What the settings page's GitHub section shows."""
    connection = connection_of(user)
    if connection is None:
        return {"github": None}
    return {
        "github": connection,
        "github_profile_url": f"{github_web_url()}/{connection.login}",
        "github_webhook_url": settings.SITE_URL.rstrip("/")
        + reverse("integrations:github:webhook"),
        "github_goals": list(goals_of(user)),
        "github_repositories": list(repositories_of(user)),
        "github_mappings": list(mappings_of(user)),
        "github_counts": item_counts(user),
        "github_last_run": SyncRun.objects.owned_by(user).first(),
    }
