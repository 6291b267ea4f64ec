"""Bulk changes to tasks, and undoing a change: exactly what was there comes back."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from goals.factories import GoalFactory
from tasks import bulk, services, undo
from tasks.factories import LabelFactory, SubtaskFactory, TaskFactory
from tasks.models import Label, Reminder, Subtask, Task, TaskCompletion

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 10)


def state(task_ids):
    """Everything stored about the tasks, to compare before and after."""
    tasks = Task.objects.filter(pk__in=task_ids).order_by("pk")
    return {
        "tasks": list(tasks.values()),
        "labels": sorted(
            Task.labels.through.objects.filter(task_id__in=task_ids).values_list(
                "task_id", "label_id"
            )
        ),
        "subtasks": list(Subtask.objects.filter(task_id__in=task_ids).order_by("pk").values()),
        "reminders": list(Reminder.objects.filter(task_id__in=task_ids).order_by("pk").values()),
        "completions": list(
            TaskCompletion.objects.filter(task_id__in=task_ids).order_by("pk").values()
        ),
    }


@pytest.fixture
def rich_task(user):
    """A task with everything that can hang off it."""
    goal = GoalFactory(user=user)
    label, other = LabelFactory(user=user, name="home"), LabelFactory(user=user, name="work")
    task = services.create_task(
        user=user,
        title="Renew passport",
        description="Two photos",
        priority=2,
        goal=goal,
        due_date=DAY,
        due_time=datetime.time(9, 30),
        labels=[label, other],
        reminders=[{"minutes_before": 60}],
    )
    SubtaskFactory(task=task, title="Photos", done=True, position=0)
    SubtaskFactory(task=task, title="Form", position=1)
    return task


def test_undo_of_a_delete_restores_exactly_what_was_there(user, rich_task):
    task_id = rich_task.pk  # a deleted instance forgets its id
    before = state([task_id])
    saved = undo.snapshot([rich_task])

    services.delete_task(task=rich_task)
    assert not Task.objects.exists()
    assert not Subtask.objects.exists()
    undo.restore(user=user, state=saved)

    assert state([task_id]) == before


def test_undo_of_a_completion_restores_the_open_task(user, rich_task):
    before = state([rich_task.pk])
    saved = undo.snapshot([rich_task])

    services.complete_task(task=rich_task)
    assert TaskCompletion.objects.count() == 1
    undo.restore(user=user, state=saved)

    assert state([rich_task.pk]) == before
    assert not TaskCompletion.objects.exists()


def test_undo_of_completing_a_recurring_task_puts_it_back_on_its_date(user):
    task = services.create_task(
        user=user, title="Water plants", due_date=DAY, recurrence="FREQ=WEEKLY;BYDAY=TU"
    )
    before = state([task.pk])
    saved = undo.snapshot([task])

    services.complete_task(task=task)
    task.refresh_from_db()
    assert task.due_date != DAY
    undo.restore(user=user, state=saved)

    assert state([task.pk]) == before


def test_undo_of_a_bulk_change_restores_every_task(user, rich_task):
    plain = TaskFactory(user=user, priority=4)
    done = TaskFactory(user=user, completed_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC))
    ids = [rich_task.pk, plain.pk, done.pk]
    before = state(ids)
    saved = undo.snapshot(Task.objects.filter(pk__in=ids))

    bulk.move_tasks(user=user, task_ids=ids, goal=GoalFactory(user=user))
    bulk.reschedule_tasks(user=user, task_ids=ids, due_date=DAY + datetime.timedelta(days=3))
    bulk.label_tasks(user=user, task_ids=ids, label=LabelFactory(user=user))
    bulk.delete_tasks(user=user, task_ids=ids)
    undo.restore(user=user, state=saved)

    assert state(ids) == before


def test_undo_leaves_out_a_goal_or_label_deleted_since(user, rich_task):
    saved = undo.snapshot([rich_task])
    services.delete_task(task=rich_task)
    rich_task.goal.delete()
    services.delete_label(label=Label.objects.get(name="home"))

    (restored,) = undo.restore(user=user, state=saved)

    restored.refresh_from_db()
    assert restored.goal is None
    assert [label.name for label in restored.labels.all()] == ["work"]


def test_undo_restores_only_the_users_own_snapshot(user, other_user):
    theirs = TaskFactory(user=other_user)
    saved = undo.snapshot([theirs])
    services.delete_task(task=theirs)

    assert undo.restore(user=user, state=saved) == []
    forged = dict(saved, user=str(user.pk))
    assert undo.restore(user=user, state=forged) == []
    assert not Task.objects.exists()


# --- Bulk actions ---------------------------------------------------------------------------


def test_bulk_complete(user):
    tasks = TaskFactory.create_batch(3, user=user)

    bulk.complete_tasks(user=user, task_ids=[task.pk for task in tasks])

    assert Task.objects.filter(completed_at__isnull=False).count() == 3
    assert TaskCompletion.objects.count() == 3


def test_bulk_move_label_and_reschedule(user):
    tasks = TaskFactory.create_batch(2, user=user)
    ids = [task.pk for task in tasks]
    goal, label = GoalFactory(user=user), LabelFactory(user=user)

    bulk.move_tasks(user=user, task_ids=ids, goal=goal)
    bulk.label_tasks(user=user, task_ids=ids, label=label)
    bulk.reschedule_tasks(user=user, task_ids=ids, due_date=DAY)

    for task in Task.objects.all():
        assert task.goal == goal
        assert list(task.labels.all()) == [label]
        assert task.due_date == DAY
    bulk.label_tasks(user=user, task_ids=ids, label=label, remove=True)
    bulk.move_tasks(user=user, task_ids=ids, goal=None)
    assert not Task.labels.through.objects.exists()
    assert not Task.objects.filter(goal__isnull=False).exists()


def test_bulk_delete(user):
    tasks = TaskFactory.create_batch(3, user=user)

    assert bulk.delete_tasks(user=user, task_ids=[task.pk for task in tasks[:2]]) == 2

    assert list(Task.objects.all()) == [tasks[2]]


def test_another_users_task_among_the_selection_changes_nothing(user, other_user):
    mine, theirs = TaskFactory(user=user), TaskFactory(user=other_user)

    with pytest.raises(ValidationError) as error:
        bulk.complete_tasks(user=user, task_ids=[mine.pk, theirs.pk])

    assert "no longer exist" in str(error.value)
    assert not Task.objects.filter(completed_at__isnull=False).exists()
    with pytest.raises(ValidationError):
        bulk.delete_tasks(user=user, task_ids=[mine.pk, theirs.pk])
    assert Task.objects.count() == 2


def test_another_users_goal_or_label_is_refused(user, other_user):
    task = TaskFactory(user=user)

    with pytest.raises(ValidationError):
        bulk.move_tasks(user=user, task_ids=[task.pk], goal=GoalFactory(user=other_user))
    with pytest.raises(ValidationError):
        bulk.label_tasks(user=user, task_ids=[task.pk], label=LabelFactory(user=other_user))
    task.refresh_from_db()
    assert task.goal is None


def test_an_empty_selection_is_an_error(user):
    with pytest.raises(ValidationError):
        bulk.complete_tasks(user=user, task_ids=[])


def test_a_recurring_task_cannot_lose_its_date(user):
    task = services.create_task(user=user, title="Gym", due_date=DAY, recurrence="FREQ=DAILY")

    with pytest.raises(ValidationError):
        bulk.reschedule_tasks(user=user, task_ids=[task.pk], due_date=None)
