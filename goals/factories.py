from decimal import Decimal

import factory

from accounts.factories import UserFactory

from .models import Domain, Goal, KeyResult, Measure, ProgressEntry


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


class KeyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyResult

    goal = factory.SubFactory(GoalFactory, measure=Measure.KEY_RESULTS)
    title = factory.Sequence(lambda n: f"Key result {n}")
    start_value = Decimal(0)
    target_value = Decimal(10)
    current_value = Decimal(0)
