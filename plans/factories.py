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
    start_date = factory.LazyFunction(datetime.date.today)
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=180))
