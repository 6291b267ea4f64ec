import factory

from .models import User, UserSettings

DEFAULT_PASSWORD = "correct horse battery staple"  # noqa: S105 - a test fixture


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)
    settings = factory.RelatedFactory(
        "accounts.factories.UserSettingsFactory", factory_related_name="user"
    )


class UserSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserSettings
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory, settings=None)
