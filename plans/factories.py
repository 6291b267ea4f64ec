import datetime

import factory

from accounts.factories import UserFactory

from .models import Plan


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Plan {n}")
    description = factory.Faker("sentence")
    vision = factory.Faker("paragraph")
    # A wide span, so goals of the tests' dates fall inside it (the date rule).
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=365))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=3 * 365))
