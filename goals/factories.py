import factory

from accounts.factories import UserFactory

from .models import Domain, Goal, ProgressEntry


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    user = factory.SubFactory(UserFactory)
    plan = None
    title = factory.Sequence(lambda n: f"Goal {n}")
    description = factory.Faker("sentence")
    domain = Domain.CAREER


class ProgressEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressEntry

    goal = factory.SubFactory(GoalFactory)
    value = 10
    note = factory.Faker("sentence")
