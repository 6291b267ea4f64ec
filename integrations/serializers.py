from rest_framework import serializers


class IntegrationSerializer(serializers.Serializer):
    """One provider and where the signed-in user stands with it (a `ProviderState`)."""

    provider = serializers.CharField(help_text="`github`, `slack`, `calendar`, …")
    connected = serializers.BooleanField(
        help_text="Whether an authorization that works is stored for you."
    )
    state = serializers.CharField(
        help_text="`disconnected`, `connected`, `syncing`, `error` or `reconnect`. "
        "`reconnect`: the provider no longer accepts the stored authorization "
        "(revoked on its side); connect again. `error`: the last sync failed (see `error`).",
    )
    last_sync_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(allow_blank=True, help_text="Why the last attempt failed.")
