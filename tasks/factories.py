import factory

from accounts.factories import UserFactory

from .models import Label, Subtask, Task, TaskCompletion


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    goal = None
    title = factory.Sequence(lambda n: f"Task {n}")
    description = factory.Faker("sentence")

    completion = factory.PostGeneration(
        lambda task, create, extracted, **kwargs: _recorded(task, create)
    )


def _recorded(task: Task, create: bool) -> None:
    """A task made completed has its completion recorded, as `Task.complete` does."""
    if create and task.completed_at is not None:
        record_completions([task])


class LabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Label

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"label-{n}")


class SubtaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subtask

    task = factory.SubFactory(TaskFactory)
    title = factory.Sequence(lambda n: f"Step {n}")
    position = factory.Sequence(lambda n: n)


def record_completions(tasks) -> list:
    """Record the completion of each completed task of `tasks` (rows made by `bulk_create`,
    which runs no model code), as `Task.complete` would have; returns `tasks`."""
    tasks = list(tasks)
    TaskCompletion.objects.bulk_create(
        TaskCompletion(
            task=task,
            user_id=task.user_id,
            completed_at=task.completed_at,
            due_date=task.due_date,
            priority=task.priority,
        )
        for task in tasks
        if task.completed_at is not None
    )
    return tasks
