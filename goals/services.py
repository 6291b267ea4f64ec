"""Writes of goals, key results and check-ins.

A goal's progress moves only through `_refresh`: it replays the goal's check-ins in order,
derives each one's percentage and the current values from them (`Goal.derive_progress`,
`goals.measures`), and stores the result; reaching 100 completes the goal, dropping below
reopens it. Every write that can move progress (a check-in made, edited or deleted; a key
result, metric or measure changed; a task of a tasks-measured goal done or undone) ends there.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.calendar import UserCalendar
from lib.limits import check_room
from lib.services import apply_fields
from lib.user_version import invalidate_user

from . import measures
from .models import (
    METRIC_DECIMALS,
    Goal,
    KeyResult,
    Measure,
    ProgressEntry,
    Source,
)

GOAL_FIELDS = {
    "plan",
    "title",
    "description",
    "domain",
    "target_date",
    "target_outside_plan",
    "status",
    "progress",
    "measure",
    "unit",
    "direction",
    "start_value",
    "target_value",
    "current_value",
    "data",
}
KEY_RESULT_FIELDS = {
    "title",
    "unit",
    "direction",
    "start_value",
    "target_value",
    "current_value",
    "weight",
}
CHECK_IN_FIELDS = {"progress", "value", "status", "note", "evidence_url"}

# The fields that progress moves with it.
PROGRESS_FIELDS = ["progress", "status", "completed_at", "current_value"]
# Goal fields whose change can move a derived progress.
MEASURING_FIELDS = {"measure", "direction", "start_value", "target_value"}


def _lock_progress(goal: Goal) -> None:
    """Read the goal's progress and status afresh and hold its row until the transaction ends.

    Concurrent changes of progress then apply one after the other, each starting from the
    value the last one saved, so every change is logged and the log ends at the goal's value.
    """
    if not goal._state.adding:
        goal.refresh_from_db(fields=PROGRESS_FIELDS, from_queryset=Goal.objects.select_for_update())


def _task_points(goal: Goal) -> tuple[int, int]:
    """`(done, total)` points of the goal's tasks, each weighing `6 - priority`."""
    weight = Value(measures.MAX_PRIORITY_POINTS) - F("priority")
    points = goal.tasks.order_by().aggregate(
        total=Sum(weight), done=Sum(weight, filter=Q(completed_at__isnull=False))
    )
    return points["done"] or 0, points["total"] or 0


def _replay(goal: Goal) -> int:
    """Derive every check-in's percentage and the current values from the check-ins in order;
    returns the goal's progress. Saves the check-ins and key results whose figures moved."""
    entries = list(goal.progress_entries.order_by("created_at", "pk"))
    key_results = list(goal.key_results.all()) if goal.measure == Measure.KEY_RESULTS else []
    before = {entry.pk: entry.value for entry in entries}
    if goal.measure == Measure.MANUAL:
        own = [entry for entry in entries if entry.key_result_id is None]
        progress = own[-1].value if own else 0
    elif goal.measure == Measure.METRIC:
        goal.current_value = goal.start_value
        for entry in entries:
            if entry.key_result_id is None and entry.metric_value is not None:
                goal.current_value = entry.metric_value
                entry.value = goal.metric_progress()
        progress = goal.metric_progress()
    elif goal.measure == Measure.KEY_RESULTS:
        by_id = {result.pk: result for result in key_results}
        for result in key_results:
            result.current_value = result.start_value
            result.progress = result.derive_progress()
        for entry in entries:
            measured = by_id.get(entry.key_result_id) if entry.key_result_id else None
            if measured is not None and entry.metric_value is not None:
                measured.current_value = entry.metric_value
                measured.progress = measured.derive_progress()
                entry.value = goal.derive_progress(key_results=key_results)
        progress = goal.derive_progress(key_results=key_results)
    else:
        progress = goal.derive_progress(task_points=_task_points(goal))
    moved = [entry for entry in entries if entry.value != before[entry.pk]]
    ProgressEntry.objects.bulk_update(moved, ["value"])
    if key_results:
        KeyResult.objects.bulk_update(key_results, ["current_value", "progress"])
    return progress


def _refresh(goal: Goal, *, now=None) -> Goal:
    """Derive and store the goal's progress (the caller holds the goal's lock)."""
    goal.move_progress(_replay(goal), now=now)
    goal.save(update_fields=[*PROGRESS_FIELDS, "updated_at"])
    invalidate_user(goal.user_id)
    return goal


# --- goals ----------------------------------------------------------------------------------


def _apply(goal: Goal, fields: dict) -> Goal:
    status = fields.pop("status", None)
    progress = fields.pop("progress", None)
    current_value = fields.pop("current_value", None)
    adding = goal._state.adding
    measuring = adding or bool(MEASURING_FIELDS & set(fields))
    derived = []
    if status is not None or progress is not None or current_value is not None or measuring:
        _lock_progress(goal)
        derived = PROGRESS_FIELDS
    progress_before, status_before = goal.progress, goal.status
    if adding and current_value is None:
        goal.current_value = fields.get("start_value")
    apply_fields(goal, fields, allowed=GOAL_FIELDS, derived=derived)
    metric_moved = current_value is not None and current_value != goal.current_value
    if goal.measure == Measure.MANUAL:
        if progress is not None and progress != goal.progress:
            goal.move_progress(progress)
    elif metric_moved and goal.measure == Measure.METRIC:
        # A value set on the goal is a check-in like any other, so the log explains it.
        _new_entry(goal, metric_value=current_value, now=goal.updated_at)
        goal.move_progress(_replay(goal))
    elif measuring:
        goal.move_progress(_replay(goal))
    if metric_moved and goal.measure != Measure.METRIC:
        goal.current_value = current_value
    # A status equal to the stored one (a PUT or a form resends it) leaves progress in charge.
    if status is not None and status != status_before:
        goal.set_status(status)
    if derived:
        goal.save(update_fields=[*PROGRESS_FIELDS, "updated_at"])
    if goal.measure == Measure.MANUAL and goal.progress != progress_before:
        # Every change of a typed progress is in the log, however it was made, so the
        # history that analytics draws always ends at the goal's current value.
        ProgressEntry.objects.create(goal=goal, value=goal.progress, created_at=goal.updated_at)
    invalidate_user(goal.user_id)
    return goal


@transaction.atomic
def create_goal(*, user, **fields) -> Goal:
    limit = settings.MAX_GOALS_PER_USER
    check_room(
        Goal.objects.filter(user=user),
        limit=limit,
        message=ngettext(
            "You have %(limit)d goal, as many as an account can hold; delete one to add another.",
            "You have %(limit)d goals, as many as an account can hold; delete one to add another.",
            limit,
        ),
    )
    return _apply(Goal(user=user), fields)


@transaction.atomic
def update_goal(*, goal: Goal, **fields) -> Goal:
    return _apply(goal, fields)


@transaction.atomic
def refresh_goal_progress(*, goal: Goal, now=None) -> Goal:
    """Derive a goal's progress again: for callers whose change moves it (a task of a
    tasks-measured goal added, edited, done or deleted)."""
    _lock_progress(goal)
    return _refresh(goal, now=now)


@transaction.atomic
def reopen_goal(*, goal: Goal) -> Goal:
    """Undo a completion. A check-in that completed the goal by hand (a mistyped 100 %) is
    withdrawn, so progress returns to where it was before; a goal completed otherwise (its
    tasks all done, its status set) reopens keeping its progress, and completes again when
    it next reaches 100."""
    _lock_progress(goal)
    if not goal.is_completed:
        return goal
    latest = goal.latest_check_in()
    if (
        latest is not None
        and latest.source == Source.MANUAL
        and latest.value >= 100
        and goal.measure != Measure.TASKS
    ):
        latest.delete()
        _refresh(goal)
    if goal.is_completed:
        goal.reopen()
        goal.save(update_fields=[*PROGRESS_FIELDS, "updated_at"])
    invalidate_user(goal.user_id)
    return goal


@transaction.atomic
def delete_goal(*, goal: Goal) -> None:
    """Delete a goal and its check-ins; its tasks stay, unlinked."""
    goal.delete()
    invalidate_user(goal.user_id)


# --- key results ----------------------------------------------------------------------------


@transaction.atomic
def create_key_result(*, goal: Goal, **fields) -> KeyResult:
    """Add a key result (at most five) to a goal measured by key results."""
    _lock_progress(goal)
    if goal.measure != Measure.KEY_RESULTS:
        raise ValidationError(_("Only a goal measured by key results has key results."))
    if goal.key_results.count() >= KeyResult.MAX_PER_GOAL:
        raise ValidationError(f"A goal has at most {KeyResult.MAX_PER_GOAL} key results.")
    current_value = fields.pop("current_value", None)
    result = KeyResult(goal=goal, current_value=fields.get("start_value"))
    _set_key_result_fields(result, fields)
    result.save()
    if current_value is not None and current_value != result.start_value:
        _new_entry(goal, key_result=result, metric_value=current_value, now=result.created_at)
    _refresh(goal)
    return result


@transaction.atomic
def update_key_result(*, key_result: KeyResult, **fields) -> KeyResult:
    goal = key_result.goal
    _lock_progress(goal)
    current_value = fields.pop("current_value", None)
    _set_key_result_fields(key_result, fields)
    key_result.save()
    if current_value is not None and current_value != key_result.current_value:
        _new_entry(goal, key_result=key_result, metric_value=current_value)
    _refresh(goal)
    key_result.refresh_from_db(fields=["current_value", "progress"])
    return key_result


@transaction.atomic
def delete_key_result(*, key_result: KeyResult) -> None:
    """Delete a key result and its check-ins; the goal's progress follows."""
    goal = key_result.goal
    _lock_progress(goal)
    key_result.delete()
    _refresh(goal)


def _set_key_result_fields(result: KeyResult, fields: dict) -> None:
    unknown = set(fields) - KEY_RESULT_FIELDS
    if unknown:
        raise TypeError(f"Unknown key result fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(result, name, value)
    result.full_clean(exclude=["goal", "current_value", "progress"])


# --- check-ins ------------------------------------------------------------------------------


def _new_entry(goal: Goal, *, now=None, **fields) -> ProgressEntry:
    """A check-in of a metric value set on a goal or key result (its percentage is a
    placeholder until `_replay` derives it)."""
    entry = ProgressEntry(
        goal=goal, value=goal.progress, created_at=now or timezone.now(), **fields
    )
    entry.full_clean(exclude=["goal", "key_result"])
    entry.save()
    return entry


def _metric_of_percent(start: Decimal, target: Decimal, progress: int) -> Decimal:
    """The metric value at `progress` % of the way from start to target."""
    value = start + (target - start) * Decimal(progress) / 100
    return value.quantize(Decimal(1).scaleb(-METRIC_DECIMALS))


def _what_it_records(
    goal: Goal, *, progress, value, key_result, editing: ProgressEntry | None = None
) -> dict:
    """The check-in's own fields for `progress` (a percentage) or `value` (of the metric or
    of `key_result`), as the goal's measure allows; errors name the field at fault."""
    if goal.measure == Measure.TASKS:
        if progress is not None or value is not None:
            field = "progress" if progress is not None else "value"
            raise ValidationError(
                {field: _("This goal's progress comes from its tasks: complete them instead.")}
            )
        return {}
    if goal.measure == Measure.MANUAL:
        if value is not None or key_result is not None:
            raise ValidationError(
                {"value": _("This goal is measured by hand: give a percentage as `progress`.")}
            )
        return {} if progress is None else {"value": progress}
    if goal.measure == Measure.METRIC:
        if key_result is not None:
            raise ValidationError(
                {"key_result": _("This goal measures a metric, not key results.")}
            )
        if value is None and progress is not None:
            value = _metric_of_percent(goal.start_value, goal.target_value, progress)
        return {} if value is None else {"metric_value": value}
    # Key results: a value is the new current value of one of them.
    if progress is not None:
        raise ValidationError(
            {"progress": _("This goal's progress comes from its key results: give a `value`.")}
        )
    if key_result is None and editing is not None:
        key_result = editing.key_result
    if value is not None and key_result is None:
        raise ValidationError({"key_result": _("Choose the key result this value is for.")})
    if key_result is not None and key_result.goal_id != goal.pk:
        raise ValidationError({"key_result": _("Choose one of this goal's key results.")})
    if value is None:
        return {"key_result": key_result} if key_result is not None else {}
    return {"key_result": key_result, "metric_value": value}


def progress_after(
    goal: Goal,
    *,
    progress: int | None = None,
    value: Decimal | None = None,
    key_result: KeyResult | None = None,
) -> int:
    """The goal's progress if a check-in of these values were made now; nothing is saved
    (the web asks before a check-in completes a goal)."""
    if goal.measure == Measure.MANUAL:
        return goal.progress if progress is None else progress
    if goal.measure == Measure.METRIC:
        if value is None and progress is not None:
            return progress
        return (
            goal.progress
            if value is None
            else measures.metric_progress(goal.start_value, goal.target_value, value)
        )
    if goal.measure == Measure.KEY_RESULTS and key_result is not None and value is not None:
        results = list(goal.key_results.all())
        for result in results:
            if result.pk == key_result.pk:
                result.current_value = value
                result.progress = result.derive_progress()
        return goal.derive_progress(key_results=results)
    return goal.progress


def suggest_status(goal: Goal, *, calendar: UserCalendar | None = None, now=None) -> str:
    """The status a check-in suggests for the goal as it stands, on the owner's calendar
    (their today at `now`, by default the present)."""
    calendar = calendar or UserCalendar.of(goal.user)
    today = timezone.localdate(now, calendar.tzinfo) if now is not None else calendar.today
    return measures.suggested_status(
        progress=goal.progress,
        start=goal.created_on(calendar.tzinfo),
        target=goal.target_date,
        today=today,
    )


@transaction.atomic
def check_in(
    *,
    goal: Goal,
    progress: int | None = None,
    value: Decimal | None = None,
    key_result: KeyResult | None = None,
    status: str = "",
    note: str = "",
    evidence_url: str = "",
    source: str = Source.MANUAL,
    source_ref: str = "",
    now=None,
) -> ProgressEntry:
    """Record a check-in on a goal and move everything derived from it.

    `progress` is a percentage (a manual goal's; for a metric, the share of its way);
    `value` the new current value of the goal's metric, or of `key_result`. Neither is
    needed for evidence that explains without moving (a note, a link, a tasks-measured goal).
    `status` (on_track, at_risk, off_track) is suggested from the pace when left empty.
    `source` says where it came from (manual, task, github, slack) and `source_ref` which
    thing there (a task's id, a pull request's URL, a message's id): the same evidence
    twice is one check-in, returned unchanged.
    """
    now = now or timezone.now()
    _lock_progress(goal)
    if source_ref:
        existing = goal.progress_entries.filter(source=source, source_ref=source_ref).first()
        if existing is not None:
            return existing
    recorded = _what_it_records(goal, progress=progress, value=value, key_result=key_result)
    entry = ProgressEntry(
        goal=goal,
        # A placeholder where the goal derives it: `_refresh` replays the check-ins.
        **({"value": goal.progress} | recorded),
        status=status,
        note=note,
        evidence_url=evidence_url,
        source=source,
        source_ref=source_ref,
        created_at=now,
    )
    entry.full_clean(exclude=["goal", "key_result"])
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # the same evidence, delivered concurrently
        return goal.progress_entries.get(source=source, source_ref=source_ref)
    _refresh(goal, now=now)
    entry.refresh_from_db(fields=["value"])
    if goal.measure == Measure.TASKS:
        entry.value = goal.progress  # where the task that this evidence cites took the goal
    entry.status = status or suggest_status(goal, now=now)
    entry.save(update_fields=["value", "status"])
    return entry


def log_progress(*, goal: Goal, value: int, note: str = "", now=None) -> ProgressEntry:
    """A check-in of a typed percentage: the contract's `POST /api/goals/{id}/progress`."""
    return check_in(goal=goal, progress=value, note=note, now=now)


@transaction.atomic
def update_check_in(*, entry: ProgressEntry, **fields) -> ProgressEntry:
    """Edit a check-in; the goal's progress, completion and history follow."""
    unknown = set(fields) - CHECK_IN_FIELDS
    if unknown:
        raise TypeError(f"Unknown check-in fields: {sorted(unknown)}")
    goal = entry.goal
    _lock_progress(goal)
    progress, value = fields.pop("progress", None), fields.pop("value", None)
    if progress is not None or value is not None:
        recorded = _what_it_records(
            goal, progress=progress, value=value, key_result=None, editing=entry
        )
        for name, recorded_value in recorded.items():
            setattr(entry, name, recorded_value)
    for name, field_value in fields.items():
        setattr(entry, name, field_value)
    entry.full_clean(exclude=["goal", "key_result"])
    entry.save()
    _refresh(goal)
    entry.refresh_from_db(fields=["value"])
    return entry


@transaction.atomic
def delete_check_in(*, entry: ProgressEntry) -> Goal:
    """Delete a check-in; the goal's progress, completion and history follow."""
    goal = entry.goal
    _lock_progress(goal)
    entry.delete()
    return _refresh(goal)


# --- evidence from tasks --------------------------------------------------------------------


def task_done(*, task, now=None) -> None:
    """A task was completed: a tasks-measured goal moves and records it as evidence."""
    goal = task.goal
    if goal is None or goal.measure != Measure.TASKS:
        return
    check_in(
        goal=goal,
        note=f"Completed “{task.title}”",
        source=Source.TASK,
        source_ref=str(task.pk),
        now=now or task.completed_at,
    )


@transaction.atomic
def task_undone(*, task_id, goal: Goal) -> None:
    """A task of `goal` was reopened, deleted or moved away: its evidence goes, and a
    tasks-measured goal's progress follows."""
    _lock_progress(goal)
    goal.progress_entries.filter(source=Source.TASK, source_ref=str(task_id)).delete()
    if goal.measure == Measure.TASKS:
        _refresh(goal)
