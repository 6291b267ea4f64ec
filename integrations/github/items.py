"""GitHub's issues and pull requests, as the REST API and webhooks describe them, made one shape."""

import datetime
from dataclasses import dataclass

from django.utils.dateparse import parse_datetime

from .models import Item


@dataclass(frozen=True)
class GitHubItem:
    number: int
    kind: str
    title: str
    html_url: str
    state: str  # Item.State: open, closed or merged
    author: str
    assignees: frozenset[str]  # logins, lower-cased
    labels: tuple[str, ...]
    milestone: str
    milestone_due: datetime.date | None
    updated_at: datetime.datetime
    closed_at: datetime.datetime | None
    merged_at: datetime.datetime | None

    def is_assigned_to(self, login: str) -> bool:
        return login.lower() in self.assignees


def _time(value) -> datetime.datetime | None:
    return parse_datetime(value) if value else None


def _required_time(value) -> datetime.datetime:
    moment = _time(value)
    if moment is None:
        raise ValueError(f"Not a GitHub timestamp: {value!r}")
    return moment


def _item(raw: dict, *, kind: str, merged_at) -> GitHubItem:
    milestone = raw.get("milestone") or {}
    due = _time(milestone.get("due_on"))
    merged = _time(merged_at)
    return GitHubItem(
        number=int(raw["number"]),
        kind=kind,
        title=(raw.get("title") or f"#{raw['number']}")[:255],
        html_url=raw["html_url"],
        state=Item.State.MERGED if merged else raw["state"],
        author=((raw.get("user") or {}).get("login") or "").lower(),
        assignees=frozenset(
            person["login"].lower() for person in raw.get("assignees") or [] if person
        ),
        labels=tuple(label["name"] for label in raw.get("labels") or [] if label.get("name")),
        milestone=milestone.get("title") or "",
        milestone_due=due.date() if due else None,
        updated_at=_required_time(raw["updated_at"]),
        closed_at=_time(raw.get("closed_at")),
        merged_at=merged,
    )


def from_issue(raw: dict) -> GitHubItem:
    """An entry of `GET /repos/{owner}/{repo}/issues` (pull requests among them), or the
    `issue` of an `issues` webhook."""
    pull = raw.get("pull_request")
    kind = Item.Kind.PULL if pull else Item.Kind.ISSUE
    return _item(raw, kind=kind, merged_at=(pull or {}).get("merged_at"))


def from_pull(raw: dict) -> GitHubItem:
    """The `pull_request` of a `pull_request` webhook (or `GET /repos/…/pulls/{number}`)."""
    return _item(raw, kind=Item.Kind.PULL, merged_at=raw.get("merged_at"))
