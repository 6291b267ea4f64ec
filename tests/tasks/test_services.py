import datetime

import pytest

from tasks import services
from tasks.factories import TaskFactory
from tasks.models import Task

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def test_editing_a_task_read_before_it_was_completed_keeps_it_completed(user):
    task = TaskFactory(user=user, title="Draft")
    stale = Task.objects.get(pk=task.pk)  # read by a PATCH, say, before the /complete below
    services.complete_task(task=Task.objects.get(pk=task.pk))

    services.update_task(task=stale, title="Final")

    task.refresh_from_db()
    assert task.title == "Final"
    assert task.completed_at is not None


def test_editing_a_task_read_before_another_edit_keeps_the_other_fields(user):
    task = TaskFactory(user=user, title="Draft", priority=Task.Priority.NORMAL)
    stale = Task.objects.get(pk=task.pk)
    services.update_task(task=Task.objects.get(pk=task.pk), priority=Task.Priority.HIGHEST)

    services.update_task(task=stale, title="Final")

    task.refresh_from_db()
    assert (task.title, task.priority) == ("Final", Task.Priority.HIGHEST)


def test_unknown_fields_are_refused(user):
    task = TaskFactory(user=user)

    with pytest.raises(TypeError, match="completed_at"):
        services.update_task(task=task, completed_at=None)


def test_overdue_tasks_are_the_same_filtered_and_annotated(user):
    day = datetime.timedelta(days=1)
    TaskFactory(user=user, title="open, due yesterday", due_date=TODAY - day)
    TaskFactory(user=user, title="open, due today", due_date=TODAY)
    TaskFactory(user=user, title="open, undated", due_date=None)
    done = TaskFactory(user=user, title="done, due yesterday", due_date=TODAY - day)
    services.complete_task(task=done)

    queried = set(Task.objects.overdue(TODAY).values_list("title", flat=True))
    annotated = {task.title for task in Task.objects.with_overdue(TODAY) if task.overdue}
    excluded = set(Task.objects.exclude(Task.overdue_q(TODAY)).values_list("title", flat=True))

    assert queried == annotated == {"open, due yesterday"}
    assert excluded == {"open, due today", "open, undated", "done, due yesterday"}
