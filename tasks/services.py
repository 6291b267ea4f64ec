import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext

from accounts.calendar import UserCalendar
from goals import services as goal_services
from goals.models import Measure
from lib import notifications
from lib.limits import check_room
from lib.services import apply_fields
from lib.user_version import invalidate_user

from . import recurrence
from .models import Label, Reminder, Subtask, Task
from .selectors import parse_for

# Completion is not among them: it changes only through complete_task and reopen_task.
# `recurrence_start` and `occurrence_date` follow `recurrence` and `due_date` (see
# `_place_series`); labels and reminders are set by their own arguments.
TASK_FIELDS = {
    "goal",
    "title",
    "description",
    "priority",
    "due_date",
    "due_time",
    "recurrence",
    "recurs_after_completion",
    "private",
}
SERIES_FIELDS = {"recurrence_start", "occurrence_date"}

# Editing a recurring task: the change is for this occurrence only, or for the whole series.
THIS_OCCURRENCE = "this"
ALL_FUTURE = "future"


def _goal_moves(*goals) -> None:
    """A task's change moves the progress of a goal measured by its tasks."""
    for goal in {goal.pk: goal for goal in goals if goal is not None}.values():
        if goal.measure == Measure.TASKS:
            goal_services.refresh_goal_progress(goal=goal)


def check_task_room(*, user, adding: int = 1) -> None:
    """ValidationError when `adding` tasks would take the user over MAX_TASKS_PER_USER."""
    limit = settings.MAX_TASKS_PER_USER
    check_room(
        Task.objects.filter(user=user),
        limit=limit,
        adding=adding,
        message=ngettext(
            "An account can hold %(limit)d task; delete some to add more.",
            "An account can hold %(limit)d tasks; delete some to add more.",
            limit,
        ),
    )


@transaction.atomic
def create_task(*, user, labels=None, reminders=None, **fields) -> Task:
    """A new task. `labels` are the user's `Label`s; `reminders` a list of
    `{"minutes_before": n}` or `{"fixed_at": aware datetime}`."""
    check_task_room(user=user)
    task = Task(user=user)
    _place_series(task, fields, scope=ALL_FUTURE)
    task = apply_fields(task, fields, allowed=TASK_FIELDS | SERIES_FIELDS)
    if labels:
        _set_labels(task, labels)
    if reminders:
        _replace_reminders(task, reminders)
    _goal_moves(task.goal)
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def update_task(*, task: Task, labels=None, reminders=None, scope=ALL_FUTURE, **fields) -> Task:
    """Change the given fields (and `labels`/`reminders` when given: they replace the task's).

    For a recurring task `scope` says what a new date or time is for: `THIS_OCCURRENCE` moves
    only the current occurrence (the series goes on from its own date), `ALL_FUTURE` moves the
    series. A new rule always applies to all future occurrences, as in calendar apps.
    """
    goal_before, priority_before = task.goal, task.priority
    _place_series(task, fields, scope=scope)
    task = apply_fields(task, fields, allowed=TASK_FIELDS | SERIES_FIELDS)
    if task.goal_id != (goal_before.pk if goal_before else None):
        if goal_before is not None:
            goal_services.task_undone(task_id=task.pk, goal=goal_before)
        if task.is_completed:
            goal_services.task_done(task=task)
        else:
            _goal_moves(task.goal)
    elif task.priority != priority_before:
        _goal_moves(task.goal)
    if labels is not None:
        _set_labels(task, labels)
    if reminders is not None:
        _replace_reminders(task, reminders)
    elif {"due_date", "due_time"} & fields.keys():
        schedule_reminders(task=task)
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def quick_add(*, user, text: str, due_date=None, goal=None) -> Task:
    """A task from one line of quick add ("Call mom tomorrow 18:00 p1 #family"), read as
    `parse_for` reads it; the labels it names are created when the user has none of that name.
    A `due_date` chosen beside the line wins over the one in it."""
    parsed = parse_for(user=user, text=text)
    if not parsed.title:
        raise ValidationError(
            {"title": gettext("Add a title as well, such as “Call mom tomorrow”.")}
        )
    fields = {
        "title": parsed.title,
        "due_date": due_date or parsed.due_date,
        "due_time": parsed.due_time,
        "recurrence": parsed.recurrence or "",
        "recurs_after_completion": parsed.recurs_after_completion,
        "goal": goal,
    }
    if parsed.priority:
        fields["priority"] = parsed.priority
    labels = get_or_create_labels(user=user, names=parsed.labels)
    return create_task(user=user, labels=labels, **fields)


def _place_series(task: Task, fields: dict, *, scope: str) -> None:
    """Validate a new rule and set the series' start and current occurrence in `fields`.

    A rule without a due date starts at its first date from the owner's today. A rule and a
    date given as they were (a PUT of the whole task) leave the series as it is.
    """
    if scope not in (THIS_OCCURRENCE, ALL_FUTURE):
        raise ValidationError({"scope": gettext("Choose this occurrence or all future ones.")})
    if not {"recurrence", "due_date"} & fields.keys():
        return  # the series stays as it is (also as a concurrent completion moved it)
    rule = fields.get("recurrence", task.recurrence) or ""
    if rule:
        try:
            rule = recurrence.normalize(rule)
        except recurrence.InvalidRule as exc:
            raise ValidationError({"recurrence": str(exc)}) from None
    if "recurrence" in fields:
        fields["recurrence"] = rule
    if not rule:
        fields.update(recurrence_start=None, occurrence_date=None)
        return
    rule_changed = rule != task.recurrence
    due = fields.get("due_date", task.due_date)
    if not rule_changed and due == task.due_date and not task._state.adding:
        return
    if rule_changed and scope == THIS_OCCURRENCE:
        raise ValidationError(
            {"scope": gettext("A new repeat rule applies to this and all future occurrences.")}
        )
    if due is None:
        if not rule_changed:
            raise ValidationError({"due_date": gettext("A recurring task needs a due date.")})
        today = UserCalendar.of(task.user).today
        due = fields["due_date"] = recurrence.first_on_or_after(rule, start=today, day=today)
        if due is None:
            raise ValidationError({"recurrence": gettext("This rule has no dates from today on.")})
    if scope == THIS_OCCURRENCE:
        # Only this occurrence moves: the series keeps its start and this occurrence's date.
        fields.update(
            recurrence_start=task.recurrence_start,
            occurrence_date=task.occurrence_date or task.due_date,
        )
    else:
        fields.update(recurrence_start=due, occurrence_date=due)


def _set_labels(task: Task, labels) -> None:
    foreign = [label for label in labels if label.user_id != task.user_id]
    if foreign:
        raise ValidationError({"labels": gettext("Choose your own labels.")})
    task.labels.set(labels)


@transaction.atomic
def complete_task(*, task: Task, now=None) -> Task:
    """Mark the task done; a task already done keeps its first `completed_at`.

    A recurring task records the completion and moves to its next date, its relative
    reminders armed again for it.
    """
    if task.is_recurring and not task.is_completed:
        tzinfo = UserCalendar.of(task.user).tzinfo
        task.complete(now=now, tzinfo=tzinfo)
        schedule_reminders(task=task, tzinfo=tzinfo)
    else:
        task.complete(now=now)
    goal_services.task_done(task=task)
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def skip_occurrence(*, task: Task) -> Task:
    """Move a recurring task to its next date without completing this occurrence."""
    calendar = UserCalendar.of(task.user)
    task.skip_occurrence(today=calendar.today)
    schedule_reminders(task=task, tzinfo=calendar.tzinfo)
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def reopen_task(*, task: Task) -> Task:
    """Undo the last completion (a recurring task goes back to that occurrence)."""
    task.reopen()
    schedule_reminders(task=task)
    if task.goal is not None:
        goal_services.task_undone(task_id=task.pk, goal=task.goal)
    invalidate_user(task.user_id)
    return task


@transaction.atomic
def delete_task(*, task: Task) -> None:
    goal, task_id = task.goal, task.pk
    task.delete()
    if goal is not None:
        goal_services.task_undone(task_id=task_id, goal=goal)
    invalidate_user(task.user_id)


@transaction.atomic
def create_tasks(*, user, tasks: list[dict]) -> list[Task]:
    """Many tasks at once, in one query (imports). Each dict holds task fields, and may hold
    `completed_at` for work that is already done where it comes from."""
    allowed = TASK_FIELDS | {"completed_at"}
    for fields in tasks:
        if unknown := set(fields) - allowed:
            raise TypeError(f"Not task fields: {', '.join(sorted(unknown))}")
    if tasks:
        check_task_room(user=user, adding=len(tasks))
    created = Task.objects.bulk_create([Task(user=user, **fields) for fields in tasks])
    if created:
        invalidate_user(user.pk)
    return created


# --- Labels ----------------------------------------------------------------------------------

LABEL_FIELDS = {"name", "color"}


def _save_label(label: Label, fields: dict) -> Label:
    unknown = set(fields) - LABEL_FIELDS
    if unknown:
        raise TypeError(f"Unknown label fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(label, name, value.strip() if name == "name" else value)
    label.full_clean(exclude=["user"])
    try:
        with transaction.atomic():
            label.save()
    except IntegrityError:  # a concurrent label of the same name won the race
        raise ValidationError(
            {"name": gettext("You already have a label with this name.")}
        ) from None
    invalidate_user(label.user_id)
    return label


@transaction.atomic
def create_label(*, user, **fields) -> Label:
    limit = settings.MAX_LABELS_PER_USER
    check_room(
        Label.objects.filter(user=user),
        limit=limit,
        message=ngettext(
            "You have %(limit)d label, as many as an account can hold; delete one to add another.",
            "You have %(limit)d labels, as many as an account can hold; delete one to add another.",
            limit,
        ),
    )
    return _save_label(Label(user=user), fields)


@transaction.atomic
def update_label(*, label: Label, **fields) -> Label:
    return _save_label(label, fields)


@transaction.atomic
def delete_label(*, label: Label) -> None:
    """Delete the label; its tasks stay, without it."""
    label.delete()
    invalidate_user(label.user_id)


@transaction.atomic
def get_or_create_labels(*, user, names) -> list[Label]:
    """The user's labels of these names (any letter case), created when missing: quick add's
    `#family`."""
    found = []
    for name in dict.fromkeys(name.strip() for name in names if name.strip()):
        label = Label.objects.owned_by(user).filter(name__iexact=name).first()
        found.append(label or create_label(user=user, name=name))
    return found


# --- Subtasks --------------------------------------------------------------------------------

SUBTASK_FIELDS = {"title", "done", "position"}


def _save_subtask(subtask: Subtask, fields: dict) -> Subtask:
    unknown = set(fields) - SUBTASK_FIELDS
    if unknown:
        raise TypeError(f"Unknown subtask fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(subtask, name, value)
    subtask.full_clean(exclude=["task"])
    subtask.save()
    _checklist_changed(subtask)
    return subtask


def _checklist_changed(subtask: Subtask) -> None:
    """The task's row shows its checklist's counts and `updated_at`: both move by a bare
    UPDATE, so the owner's cached answers are invalidated here (`subtask.task` is the task
    the item was read or made through: no query)."""
    Task.objects.filter(pk=subtask.task_id).update(updated_at=timezone.now())
    invalidate_user(subtask.task.user_id)


@transaction.atomic
def add_subtask(*, task: Task, title: str, done: bool = False, position=None) -> Subtask:
    """A new checklist item, last unless `position` is given."""
    if position is None:
        last = task.subtasks.aggregate(last=Max("position"))["last"]
        position = 0 if last is None else last + 1
    return _save_subtask(Subtask(task=task), {"title": title, "done": done, "position": position})


@transaction.atomic
def update_subtask(*, subtask: Subtask, **fields) -> Subtask:
    return _save_subtask(subtask, fields)


@transaction.atomic
def move_subtask(*, subtask: Subtask, up: bool) -> None:
    """Swap the item with its neighbour above (`up`) or below; the first stays first."""
    items = list(Subtask.objects.filter(task_id=subtask.task_id).select_for_update())
    items.sort(key=lambda item: (item.position, item.created_at))
    index = next(i for i, item in enumerate(items) if item.pk == subtask.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    invalidate_user(subtask.task.user_id)


@transaction.atomic
def delete_subtask(*, subtask: Subtask) -> None:
    subtask.delete()
    _checklist_changed(subtask)


# --- Reminders -------------------------------------------------------------------------------


def _replace_reminders(task: Task, reminders) -> None:
    """The task's reminders become `reminders`: dicts of `minutes_before` or `fixed_at`. Those
    it had already keep their state (a sent one is not sent again); others are deleted."""
    tzinfo = UserCalendar.of(task.user).tzinfo
    now = timezone.now()
    kept = set()
    existing = list(task.reminders.all())
    for fields in reminders:
        key = (fields.get("minutes_before"), fields.get("fixed_at"))
        same = next(
            (
                old
                for old in existing
                if (old.minutes_before, old.fixed_at) == key and old.pk not in kept
            ),
            None,
        )
        if same is not None:
            kept.add(same.pk)
            continue
        reminder = Reminder(task=task, user_id=task.user_id, minutes_before=key[0], fixed_at=key[1])
        reminder.full_clean(exclude=["task", "user"])
        _arm(reminder, reminder.moment(task, tzinfo), now)
        reminder.save()
        kept.add(reminder.pk)
    task.reminders.exclude(pk__in=kept).delete()


def _arm(reminder: Reminder, moment, now) -> None:
    """Set the reminder to fire at `moment`. A moment already gone is not sent (`sent_at`
    says since when it passed): a reminder of a time past is noise, not help."""
    reminder.remind_at, reminder.claimed_at = moment, None
    reminder.sent_at = now if moment is not None and moment < now else None


def schedule_reminders(*, task: Task, tzinfo=None) -> None:
    """Arm the task's relative reminders for its current due date and time, where it moved.

    Fixed reminders keep their moment and whether they were sent.
    """
    tzinfo = tzinfo or UserCalendar.of(task.user).tzinfo
    now = timezone.now()
    for reminder in task.reminders.filter(minutes_before__isnull=False):
        moment = reminder.moment(task, tzinfo)
        if moment != reminder.remind_at:
            _arm(reminder, moment, now)
            reminder.save(update_fields=["remind_at", "sent_at", "claimed_at"])


# How long a claimed reminder is left to the worker that claimed it: one that died mid-way
# leaves it to be claimed again (and sent) once this has passed.
CLAIM_LEASE = datetime.timedelta(minutes=5)
# Reminders sent per run of the beat task; the next run (a minute later) takes the rest.
REMINDERS_PER_RUN = 500


def _claimable(now) -> Q:
    return Q(sent_at__isnull=True) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE)
    )


def send_due_reminders(*, now=None) -> int:
    """Send the reminders whose moment has come (celery beat runs this every minute); returns
    how many went out."""
    now = now or timezone.now()
    due = Reminder.objects.due(now).filter(_claimable(now)).order_by("remind_at")
    return sum(
        send_reminder(reminder_id=pk, now=now)
        for pk in due.values_list("pk", flat=True)[:REMINDERS_PER_RUN]
    )


def send_reminder(*, reminder_id, now=None) -> bool:
    """Send one reminder unless another worker has it, it was sent, or its task is done.

    Not one transaction, on purpose: the claim commits before anything is sent, so a second
    worker sees it and leaves the reminder alone; the mark "sent" commits after. A worker that
    dies in between leaves a claim that runs out (`CLAIM_LEASE`), and the reminder goes out
    then. Returns whether a channel sent it.
    """
    now = now or timezone.now()
    # Only the reminder's own columns in the claim: one UPDATE the database serialises.
    if not Reminder.objects.filter(_claimable(now), pk=reminder_id).update(claimed_at=now):
        return False
    reminder = Reminder.objects.select_related("task", "user", "user__settings").get(pk=reminder_id)
    task, user = reminder.task, reminder.user
    if (
        task.is_completed
        or not user.is_active
        or not reminder.remind_at
        or reminder.remind_at > now
    ):
        # Done, gone or moved since it was picked: nothing to say now.
        Reminder.objects.filter(pk=reminder_id, claimed_at=now).update(claimed_at=None)
        return False
    # The email speaks the user's language, whatever the worker's is.
    with translation.override(user.settings.language):
        notification = _reminder_notification(reminder, user.settings.tzinfo)
    delivery = notifications.deliver(notification)
    if delivery.failed and not delivery.sent:
        # Every channel failed: release the claim, the next run tries again.
        Reminder.objects.filter(pk=reminder_id, claimed_at=now).update(claimed_at=None)
        return False
    Reminder.objects.filter(pk=reminder_id, claimed_at=now).update(sent_at=timezone.now())
    return bool(delivery.sent)


def _reminder_notification(reminder: Reminder, tzinfo) -> notifications.Notification:
    task = reminder.task
    when = ""
    if task.due_date:
        date = formats.date_format(task.due_date, "DATE_FORMAT")
        if task.due_time:
            when = gettext("Due %(date)s at %(time)s (%(zone)s).") % {
                "date": date,
                "time": formats.time_format(task.due_time, "TIME_FORMAT"),
                "zone": tzinfo.key,
            }
        else:
            when = gettext("Due %(date)s.") % {"date": date}
    return notifications.Notification(
        user=reminder.user,
        subject=gettext("Reminder: %(title)s") % {"title": task.title},
        body="\n\n".join(part for part in (task.title, when, task.description) if part),
        url=settings.SITE_URL.rstrip("/") + task.get_absolute_url(),
        key=f"reminder:{reminder.pk}:{reminder.remind_at:%Y-%m-%dT%H:%M:%SZ}",
    )
