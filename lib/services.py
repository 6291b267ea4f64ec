"""Write helpers shared by the apps' services."""

from django.db import models


def apply_fields[M: models.Model](instance: M, fields: dict, *, allowed, derived=()) -> M:
    """Set `fields` on a user's `instance`, validate it and save it.

    `allowed` names the fields a caller may set; any other is a programming error. A new
    instance is inserted whole. An existing one saves only the fields given, the `derived`
    fields the caller's model methods moved along with them, and `updated_at`: the instance
    may have been read before a concurrent write (a task completed meanwhile), whose fields
    must not be written back with their stale values.

    The caller runs in a transaction and keeps its app's own rules around this, among them
    invalidating the user's cached figures (`lib.user_version.invalidate_user`).
    """
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown {instance._meta.verbose_name} fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=["user"])
    if instance._state.adding:
        instance.save()
    else:
        instance.save(update_fields=[*fields, *derived, "updated_at"])
    return instance
