from rest_framework import serializers

from .models import AppPassword


class FeedSerializer(serializers.Serializer):
    url = serializers.URLField(read_only=True, help_text="The secret https:// feed address.")


class AppPasswordSerializer(serializers.ModelSerializer):
    """An app password as listed: never the password itself."""

    username = serializers.SerializerMethodField(help_text="The CalDAV user name: your email.")
    device = serializers.CharField(
        source="last_user_agent", read_only=True, help_text="The client last seen using it."
    )

    class Meta:
        model = AppPassword
        fields = ["id", "name", "username", "created_at", "last_used_at", "device"]
        read_only_fields = ["id", "created_at", "last_used_at"]
        extra_kwargs = {"name": {"help_text": "The device it is for, 1-100 characters."}}

    def get_username(self, obj) -> str:
        return obj.user.email


class NewAppPasswordSerializer(serializers.Serializer):
    """A new app password, with the password: shown this once, then never again."""

    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    username = serializers.CharField(read_only=True, help_text="The CalDAV user name.")
    password = serializers.CharField(read_only=True, help_text="Shown only in this answer.")
