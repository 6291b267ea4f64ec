import uuid
import zoneinfo
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.user_version import invalidate_user

from .avatars import avatar_path


class UserQuerySet(models.QuerySet["User"]):
    def delete(self):
        """A bulk delete (the admin's "delete selected", scripts) makes every cached copy of the
        deleted users stale, as `User.delete` does."""
        deleted_ids = list(self.values_list("pk", flat=True))
        deleted = super().delete()
        for user_id in deleted_ids:
            invalidate_user(user_id)
        return deleted


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_queryset(self):
        return UserQuerySet(self.model, using=self._db)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        UserSettings.objects.create(user=user)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person using the product. Email is the login; deletion is soft (`deleted_at`).

    Write it with `save()`, `delete()` or a queryset's `delete()`: they invalidate the copies
    that sessions and the API's JWT authentication read from the cache; a bare `.update()`
    does not (only `last_login` is written so, which nothing shows).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), max_length=255, unique=True)
    # NULL, not "", for "no username", so the unique constraint allows many users without one.
    username = models.CharField(_("username"), max_length=100, null=True, blank=True)  # noqa: DJ001
    name = models.CharField(_("name"), max_length=150, blank=True)
    # A random name (accounts.avatars): neither the uploaded name nor the account shows.
    avatar = models.ImageField(_("avatar"), upload_to=avatar_path, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message="A user with this email already exists.",
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_ci_unique",
                violation_error_message=_("This username is taken."),
            ),
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True) | models.Q(is_active=False),
                name="user_deleted_is_inactive",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="user_created_idx")]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email)
        if self.username == "":
            self.username = None

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name or self.email.split("@")[0]

    @property
    def display_name(self):
        return self.name or self.username or self.email.split("@")[0]

    @property
    def avatar_url(self):
        return self.avatar.url if self.avatar else None

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        invalidate_user(self.pk)  # the cached copies of sessions and JWT authentication go stale

    def delete(self, *args, **kwargs):
        # After the rows are gone: a request in between would cache the user again.
        user_id = self.pk
        deleted = super().delete(*args, **kwargs)
        invalidate_user(user_id)
        return deleted

    def mark_deleted(self):
        """Deactivate the account; its data stays until an operator purges it."""
        self.deleted_at = timezone.now()
        self.is_active = False
        self.save(update_fields=["deleted_at", "is_active", "updated_at"])


# The IANA zone names the server's time zone database holds, less the files in it that name no
# place: "localtime" is the server's own zone, "posixrules" a template of POSIX rules,
# "Factory" a placeholder that shows "-00".
TIMEZONES = frozenset(zoneinfo.available_timezones() - {"localtime", "posixrules", "Factory"})


def validate_timezone(value):
    if value not in TIMEZONES:
        raise ValidationError(
            _("“%(value)s” is not a known time zone."),
            code="invalid_timezone",
            params={"value": value},
        )


class UserSettings(models.Model):
    class WeekStart(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        SUNDAY = 6, _("Sunday")

    class Theme(models.TextChoices):
        SYSTEM = "system", _("Follow the system")
        LIGHT = "light", _("Light")
        DARK = "dark", _("Dark")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="settings",
    )
    timezone = models.CharField(
        _("timezone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    week_start = models.PositiveSmallIntegerField(
        _("week start"), choices=WeekStart, default=WeekStart.MONDAY
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    theme = models.CharField(_("theme"), max_length=8, choices=Theme, default=Theme.SYSTEM)
    email_notifications = models.BooleanField(_("email notifications"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("user settings")
        verbose_name_plural = _("user settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(week_start__in=[0, 6]), name="settings_week_start_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(theme__in=["system", "light", "dark"]),
                name="settings_theme_valid",
            ),
        ]

    def __str__(self):
        return f"Settings of {self.user}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        invalidate_user(self.user_id)  # the session's cached copy (accounts.middleware) goes stale

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        invalidate_user(self.user_id)
        return deleted

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)
