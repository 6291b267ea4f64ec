import factory

from accounts.factories import UserFactory

from .models import Task


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    user = factory.SubFactory(UserFactory)
    goal = None
    title = factory.Sequence(lambda n: f"Task {n}")
    description = factory.Faker("sentence")
