"""Shapes of the accounts API: input checking and output, no business rules."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from . import selectors
from .models import User, UserSettings

# Far beyond any real password, short enough that hashing it is no attack.
PASSWORD_MAX_LENGTH = 1024


def password_field(**kwargs):
    return serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=PASSWORD_MAX_LENGTH,
        style={"input_type": "password"},
        **kwargs,
    )


def _check_strength(password: str, candidate: User) -> None:
    """Django's password validators, as a field error on `password`."""
    try:
        password_validation.validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(list(exc.messages)) from exc


class UserSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(max_length=255)
    # A PUT without a username clears it; a PATCH leaves it alone.
    username = serializers.CharField(
        max_length=100, required=False, default=None, allow_null=True, allow_blank=True
    )
    avatar_url = serializers.CharField(read_only=True, allow_null=True)
    github_connected = serializers.SerializerMethodField()
    password = password_field(
        required=False, help_text="The current password; required to change `email`."
    )

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "username",
            "avatar_url",
            "github_connected",
            "created_at",
            "updated_at",
            "password",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def get_github_connected(self, user: User) -> bool:
        return selectors.is_github_connected(user)


class SignupSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=255)
    password = password_field()
    username = serializers.CharField(
        max_length=100, required=False, allow_null=True, allow_blank=True
    )

    def validate(self, attrs):
        candidate = User(email=attrs["email"], username=attrs.get("username") or None)
        try:
            _check_strength(attrs["password"], candidate)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"password": exc.detail}) from exc
        return attrs


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=255)
    password = password_field()


class AuthTokensSerializer(serializers.Serializer):
    user = UserSerializer(read_only=True)
    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=4096)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


class PasswordChangeSerializer(serializers.Serializer):
    current_password = password_field()
    new_password = password_field()

    def validate_current_password(self, value):
        if not self.context["user"].check_password(value):
            raise serializers.ValidationError(_("The current password is not correct."))
        return value

    def validate_new_password(self, value):
        _check_strength(value, self.context["user"])
        return value


class UserSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = UserSettings
        fields = [
            "timezone",
            "week_start",
            "language",
            "theme",
            "email_notifications",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        # PUT replaces, so it names every setting; PATCH (partial) may name any.
        extra_kwargs = {
            name: {"required": True}
            for name in ["timezone", "week_start", "language", "theme", "email_notifications"]
        }
