"""Writes of the GitHub integration: connecting, importing, syncing and webhook deliveries."""

import hashlib
import hmac
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from goals.models import Source
from goals.services import check_in
from lib.i18n import in_language_of
from tasks.services import complete_task, create_tasks, reopen_task

from .client import GitHubClient, GitHubError, GitHubUnavailable, RateLimited, TokenRevoked
from .items import GitHubItem, from_issue, from_pull
from .models import (
    REVOKED_MESSAGE,
    Connection,
    Delivery,
    GoalMapping,
    Item,
    Repository,
    SyncRun,
)

logger = logging.getLogger(__name__)

# A sync still queued or running this long after it was asked for has been lost (its worker
# died past its retries); a new request then starts another instead of waiting for it.
STALLED_AFTER = timedelta(hours=1)
# Delivery ids are kept this long to recognise a replay; GitHub redelivers within days.
DELIVERIES_KEPT = timedelta(days=30)
NOT_CONNECTED_MESSAGE = _("GitHub is not connected.")


class NotConnected(Exception):
    """There is no GitHub connection to work with, or it needs reconnecting. Says which."""


# --- Connecting ---------------------------------------------------------------------------


def connect(*, user, token: str, scopes: str) -> Connection:
    """Store the token of a new authorization (encrypted), list the user's repositories and
    queue the first sync."""
    with GitHubClient(token) as client:
        profile = client.user()
        repositories = client.repositories()
    with transaction.atomic():
        connection = Connection.objects.select_for_update().filter(user=user).first() or Connection(
            user=user
        )
        connection.github_id = profile["id"]
        connection.login = profile["login"]
        connection.set_token(token, scopes=scopes)
        connection.save()
        _store_repositories(user=user, repositories=repositories)
        request_sync(user=user, trigger=SyncRun.Trigger.CONNECT)
    return connection


@transaction.atomic
def disconnect(*, user) -> None:
    """Delete the stored token (the connection). Imported tasks, their links and the choice
    of repositories stay, so connecting again duplicates nothing."""
    Connection.objects.filter(user=user).delete()
    for run in SyncRun.objects.owned_by(user).pending().select_for_update():
        run.fail(NOT_CONNECTED_MESSAGE)


def _store_repositories(*, user, repositories: list[dict]) -> None:
    known = {repo.github_id: repo for repo in Repository.objects.owned_by(user)}
    new, changed = [], []
    for raw in repositories:
        fields = {
            "full_name": raw["full_name"],
            "html_url": raw["html_url"],
            "private": bool(raw.get("private")),
        }
        repo = known.get(raw["id"])
        if repo is None:
            new.append(Repository(user=user, github_id=raw["id"], **fields))
        elif any(getattr(repo, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(repo, name, value)
            changed.append(repo)
    Repository.objects.bulk_create(new)
    Repository.objects.bulk_update(changed, ["full_name", "html_url", "private"])


@transaction.atomic
def select_repositories(*, user, repository_ids) -> list[Repository]:
    """Import from exactly these of the user's repositories (ids of `Repository` rows)."""
    chosen = set(map(str, repository_ids))
    repositories = list(Repository.objects.owned_by(user))
    if chosen - {str(repo.pk) for repo in repositories}:
        raise ValidationError({"repositories": gettext("Choose among your own repositories.")})
    for repo in repositories:
        repo.selected = str(repo.pk) in chosen
    Repository.objects.bulk_update(repositories, ["selected"])
    return [repo for repo in repositories if repo.selected]


@transaction.atomic
def set_repository_selected(*, repository: Repository, selected: bool) -> Repository:
    repository.selected = selected
    repository.save(update_fields=["selected"])
    return repository


@transaction.atomic
def update_options(
    *, connection: Connection, import_authored: bool, import_label: str
) -> Connection:
    connection.import_authored = import_authored
    connection.import_label = import_label.strip()
    connection.save(update_fields=["import_authored", "import_label", "updated_at"])
    return connection


@transaction.atomic
def add_goal_mapping(*, user, kind: str, name: str, goal) -> GoalMapping:
    if goal.user_id != user.pk:
        raise ValidationError({"goal": gettext("Choose one of your own goals.")})
    name = name.strip()
    taken = GoalMapping.objects.filter(user=user, kind=kind).annotate(lower=Lower("name"))
    if taken.filter(lower=name.lower()).exists():
        raise ValidationError({"name": f"This {kind} already goes to a goal."})
    mapping = GoalMapping(user=user, kind=kind, name=name, goal=goal)
    mapping.full_clean(exclude=["user", "goal"], validate_constraints=False)
    mapping.save()
    return mapping


@transaction.atomic
def delete_goal_mapping(*, mapping: GoalMapping) -> None:
    mapping.delete()


# --- Syncing ------------------------------------------------------------------------------


@transaction.atomic
def request_sync(*, user, trigger: str) -> SyncRun:
    """The sync job of this request: the one already queued or running, else a new one."""
    from . import tasks

    connection = Connection.objects.select_for_update().filter(user=user).first()
    if connection is None:
        raise NotConnected(NOT_CONNECTED_MESSAGE)
    if connection.needs_reconnect:
        raise NotConnected(REVOKED_MESSAGE)
    pending = (
        SyncRun.objects.owned_by(user)
        .pending()
        .filter(created_at__gte=timezone.now() - STALLED_AFTER)
        .first()
    )
    if pending is not None:
        return pending
    run = SyncRun.objects.create(user=user, trigger=trigger)
    transaction.on_commit(lambda: tasks.sync.delay(str(run.pk)))
    return run


def request_periodic_syncs() -> int:
    """Queue a sync of every working connection (celery beat)."""
    connections = list(
        Connection.objects.filter(state=Connection.State.CONNECTED).select_related("user")
    )
    for connection in connections:
        request_sync(user=connection.user, trigger=SyncRun.Trigger.PERIODIC)
    return len(connections)


def run_sync(*, run_id) -> None:
    """Run one sync job (a Celery task calls it, and calls it again after a failure).

    Idempotent and resumable: items are matched on their unique link, so a page read twice
    duplicates nothing, and each repository remembers the page it got to.
    RateLimited and GitHubUnavailable propagate, for the task to retry later.
    """
    run = SyncRun.objects.filter(pk=run_id).select_related("user__settings").first()
    if run is None or run.is_finished:
        return
    # Problems are stored as their owner reads them, not in the worker's language.
    with in_language_of(run.user):
        _sync(run)


def _sync(run: SyncRun) -> None:
    connection = Connection.objects.filter(user=run.user).first()
    if connection is None or connection.needs_reconnect:
        run.fail(str(NOT_CONNECTED_MESSAGE if connection is None else REVOKED_MESSAGE))
        return
    run.start()
    problems = []
    try:
        with GitHubClient(connection.token) as client:
            _store_repositories(user=run.user, repositories=client.repositories())
            importer = _Importer(connection=connection, client=client, run=run)
            for repository in Repository.objects.owned_by(run.user).selected():
                try:
                    importer.import_repository(repository)
                except (TokenRevoked, GitHubUnavailable, RateLimited):
                    raise  # about the whole job: it ends, or tries again later
                except GitHubError as exc:  # about this repository (gone, no access)
                    problems.append(f"{repository.full_name}: {exc}")
    except TokenRevoked:
        connection.mark_revoked()
        run.fail(str(REVOKED_MESSAGE))
        return
    connection.record_sync(error=" ".join(problems))
    run.finish()


def fail_sync(*, run_id, message: str) -> None:
    """The job's retries ran out: it ends, saying why, and the settings page shows it."""
    run = SyncRun.objects.filter(pk=run_id).first()
    if run is None or run.is_finished:
        return
    run.fail(message)
    connection = Connection.objects.filter(user_id=run.user_id).first()
    if connection is not None:
        connection.record_error(message)


class _Importer:
    """One sync's pass over the selected repositories, page by page."""

    def __init__(self, *, connection: Connection, client: GitHubClient, run: SyncRun):
        self.connection = connection
        self.client = client
        self.run = run
        self.mappings = _mappings_of(connection.user)

    def queries(self) -> dict[str, dict]:
        """The lists to read from each repository, by name: newest changes first."""
        base = {"state": "all", "sort": "updated", "direction": "desc", "per_page": 100}
        if self.connection.import_label:
            base["labels"] = self.connection.import_label
        queries = {"assigned": base | {"assignee": self.connection.login}}
        if self.connection.import_authored:
            queries["authored"] = base | {"creator": self.connection.login}
        return queries

    def import_repository(self, repository: Repository) -> None:
        for key, params in self.queries().items():
            self.import_query(repository, key, params)

    def import_query(self, repository: Repository, key: str, params: dict) -> None:
        state = repository.sync_state.get(key, {})
        if state.get("params") != params:
            state = {"params": params}  # the options changed: read everything again
        if state.get("next"):
            page = self.client.page(state["next"])  # resume where a failed pass stopped
        else:
            path = f"/repos/{repository.full_name}/issues"
            page = self.client.page(path, params=params, etag=state.get("etag"))
            if page.not_modified:
                return
            state["pass_etag"] = page.etag
        newest = state.get("newest")
        while True:
            items = [from_issue(raw) for raw in page.items]
            imported, updated = apply_items(
                connection=self.connection,
                repository=repository,
                items=items,
                mappings=self.mappings,
            )
            self.run.count(imported=imported, updated=updated)
            times = [item.updated_at.isoformat() for item in items]
            pass_newest = max([state.get("pass_newest") or "", *times])
            # Newest first: once a page reaches what the last pass saw, the rest is older.
            reached_known = newest is not None and any(time < newest for time in times)
            if page.next_url and not reached_known:
                state |= {"next": page.next_url, "pass_newest": pass_newest}
            else:
                state = {"params": params, "etag": state.get("pass_etag"), "newest": pass_newest}
            repository.sync_state = {**repository.sync_state, key: state}
            repository.save(update_fields=["sync_state"])
            if "next" not in state:
                return
            page = self.client.page(state["next"])


def _mappings_of(user) -> dict[tuple[str, str], object]:
    return {
        (mapping.kind, mapping.name.lower()): mapping.goal
        for mapping in GoalMapping.objects.filter(user=user).select_related("goal")
    }


def _goal_for(item: GitHubItem, mappings: dict):
    for label in item.labels:
        if goal := mappings.get((GoalMapping.Kind.LABEL, label.lower())):
            return goal
    if item.milestone:
        return mappings.get((GoalMapping.Kind.MILESTONE, item.milestone.lower()))
    return None


def _wanted(connection: Connection, item: GitHubItem) -> bool:
    """Whether a new item is imported: assigned to the user (or opened by them, if chosen),
    and with the chosen label, if any."""
    login = connection.login.lower()
    mine = item.is_assigned_to(login) or (connection.import_authored and item.author == login)
    labelled = not connection.import_label or connection.import_label.lower() in {
        label.lower() for label in item.labels
    }
    return mine and labelled


ITEM_FIELDS = ["title", "html_url", "state", "assigned", "github_updated_at", "merged_at"]


@transaction.atomic
def apply_items(*, connection, repository, items: list[GitHubItem], mappings) -> tuple[int, int]:
    """Bring the user's tasks in line with these issues and pull requests of `repository`.

    New ones the user wants become tasks (in their mapped goal); linked ones follow GitHub:
    closed or merged completes the task, reopened reopens it, a removed assignment marks the
    link, and a merge writes its evidence to the task's goal once. A fixed number of queries
    whatever the number of new items (plus a few per item that closed, reopened or merged
    since the last look).
    Returns (imported, updated).
    """
    user = connection.user
    login = connection.login.lower()
    links = {
        link.number: link
        for link in Item.objects.filter(
            user=user, repository=repository, number__in=[item.number for item in items]
        ).select_related("task__goal")
    }
    new = [item for item in items if item.number not in links and _wanted(connection, item)]
    tasks = create_tasks(
        user=user,
        tasks=[_task_fields(item, repository, _goal_for(item, mappings)) for item in new],
    )
    Item.objects.bulk_create(
        [
            Item(
                user=user,
                task=task,
                repository=repository,
                number=item.number,
                kind=item.kind,
                title=item.title,
                html_url=item.html_url,
                state=item.state,
                assigned=item.is_assigned_to(login),
                github_updated_at=item.updated_at,
                merged_at=item.merged_at,
            )
            for item, task in zip(new, tasks, strict=True)
        ]
    )
    to_complete, to_reopen, changed, merged = [], [], [], []
    for item in items:
        link = links.get(item.number)
        if link is None or item.updated_at < link.github_updated_at:
            continue  # not linked, or an older view of it (a late webhook)
        was_open = link.state == Item.State.OPEN
        if was_open and item.state != Item.State.OPEN:
            to_complete.append(link.task)
        elif not was_open and item.state == Item.State.OPEN:
            to_reopen.append(link.task)
        if item.state == Item.State.MERGED and link.evidence_at is None and link.task.goal_id:
            merged.append(link)
        values = {
            "title": item.title,
            "html_url": item.html_url,
            "state": item.state,
            "assigned": item.is_assigned_to(login),
            "github_updated_at": item.updated_at,
            "merged_at": item.merged_at,
        }
        if any(getattr(link, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(link, name, value)
            changed.append(link)
    # One by one, through the tasks' own services (goals measured by tasks follow): only what
    # changed since the last sync, rarely more than a few.
    for task in to_complete:
        complete_task(task=task)
    for task in to_reopen:
        reopen_task(task=task)
    for link in merged:
        record_merge_evidence(item=link, goal=link.task.goal)
        link.evidence_at = timezone.now()
    Item.objects.bulk_update(
        {link.pk: link for link in [*changed, *merged]}.values(), [*ITEM_FIELDS, "evidence_at"]
    )
    return len(new), len(changed)


def _task_fields(item: GitHubItem, repository: Repository, goal) -> dict:
    kind = gettext("Pull request") if item.kind == Item.Kind.PULL else gettext("Issue")
    fields = {
        "title": item.title,
        "description": f"{kind} {repository.full_name}#{item.number} on GitHub: {item.html_url}",
        "goal": goal,
        "due_date": item.milestone_due,
    }
    if item.state != Item.State.OPEN:
        fields["completed_at"] = item.merged_at or item.closed_at or item.updated_at
    return fields


def record_merge_evidence(*, item: Item, goal) -> None:
    """The check-in a merged pull request writes to its task's goal: its title and link. The
    pull request's URL names it, so the same merge told twice is one check-in."""
    check_in(
        goal=goal,
        note=f"Merged pull request {item.reference} “{item.title}”",
        evidence_url=item.html_url,
        source=Source.GITHUB,
        source_ref=item.html_url,
    )


# --- Webhooks -----------------------------------------------------------------------------


def _signature_matches(body: bytes, signature: str, secret: str) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode())


class BadSignature(Exception):
    pass


def verify_signature(*, body: bytes, signature: str, repository_id) -> object | None:
    """Who signed this delivery: None for the shared GITHUB_WEBHOOK_SECRET, else the user whose
    own secret it is (only users importing from the delivery's repository are tried).

    Raises BadSignature when it is unsigned or no secret gives its signature.
    """
    if not signature.startswith("sha256="):
        raise BadSignature("The delivery is not signed (X-Hub-Signature-256).")
    if settings.GITHUB_WEBHOOK_SECRET and _signature_matches(
        body, signature, settings.GITHUB_WEBHOOK_SECRET
    ):
        return None
    if isinstance(repository_id, int):
        candidates = Connection.objects.filter(
            user__github_repositories__github_id=repository_id
        ).select_related("user")
        for connection in candidates:
            if _signature_matches(body, signature, connection.webhook_secret):
                return connection.user
    raise BadSignature("The signature (X-Hub-Signature-256) does not match.")


def receive_delivery(*, delivery_id: str, event: str, payload: dict, user=None) -> bool:
    """Keep a verified delivery and queue its work; False for a replay of a known id."""
    from . import tasks

    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                delivery_id=delivery_id, event=event, payload=payload, user=user
            )
    except IntegrityError:
        return False
    transaction.on_commit(lambda: tasks.process_delivery.delay(delivery.pk))
    return True


HANDLED_EVENTS = {"issues": ("issue", from_issue), "pull_request": ("pull_request", from_pull)}


@transaction.atomic
def process_delivery(*, delivery_id: int) -> None:
    """Apply a delivery's issue or pull request to every user importing from its repository
    (or only to the user whose secret signed it). Done once: a processed delivery is skipped."""
    delivery = (
        Delivery.objects.select_for_update()
        .filter(pk=delivery_id, processed_at__isnull=True)
        .first()
    )
    if delivery is None:
        return
    payload = delivery.payload
    key, read = HANDLED_EVENTS.get(delivery.event, ("", None))
    repository_id = (payload.get("repository") or {}).get("id")
    raw = payload.get(key) if read else None
    if read is not None and isinstance(raw, dict) and repository_id is not None:
        item = read(raw)
        repositories = Repository.objects.selected().filter(github_id=repository_id)
        if delivery.user_id:
            repositories = repositories.filter(user_id=delivery.user_id)
        connections = Connection.objects.filter(
            user__in=repositories.values("user"), state=Connection.State.CONNECTED
        ).select_related("user")
        by_user = {repo.user_id: repo for repo in repositories}
        for connection in connections:
            apply_items(
                connection=connection,
                repository=by_user[connection.user_id],
                items=[item],
                mappings=_mappings_of(connection.user),
            )
    delivery.processed_at = timezone.now()
    delivery.save(update_fields=["processed_at"])


def forget_old_deliveries() -> int:
    deleted, _ = Delivery.objects.filter(received_at__lt=timezone.now() - DELIVERIES_KEPT).delete()
    return deleted
