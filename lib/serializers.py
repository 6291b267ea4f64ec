"""Serializer fields shared by the apps' APIs."""

import json

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "object", "additionalProperties": True})
class JSONObjectField(serializers.JSONField):
    """A JSON object (never a list or a scalar) that PostgreSQL's jsonb will accept."""

    default_error_messages = {
        "not_an_object": "Must be a JSON object.",
        "not_storable": "Numbers must be finite and strings may not contain NUL characters.",
        "too_deep": "Nested too deeply.",
    }

    def to_internal_value(self, data):
        try:
            data = super().to_internal_value(data)  # parses form input, which arrives as text
            if not isinstance(data, dict):
                self.fail("not_an_object")
            text = json.dumps(data, allow_nan=False)
        except RecursionError:
            self.fail("too_deep")
        except ValueError:
            self.fail("not_storable")
        if "\\u0000" in text:
            self.fail("not_storable")
        return data


class OwnedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """The id of one of the signed-in user's objects of `model`, or null.

    Another user's id is a 400 field error, exactly like an id that does not exist.
    """

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("pk_field", serializers.UUIDField())
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return self.model.objects.none()
        return self.model.objects.owned_by(request.user)
