"""Reads on a read replica (DATABASE_REPLICA_URL), where that cannot show stale data.

A request's reads go to the replica until it writes; from its first write on, and inside any
transaction, they go to the primary, so a page answering a form post (or an API answer read
back after its write) shows what was just saved. Outside requests (the worker, commands)
everything uses the primary: a job must see the row created a moment ago. Who is signed in
(users, sessions, tokens, two-factor) is always read from the primary, so that a log-out or a
deactivation holds at once.
"""

from contextvars import ContextVar

from django.db import connections

PRIMARY, REPLICA = "default", "replica"
# Apps whose rows decide who may do what: never read from a copy that may lag.
PRIMARY_ONLY_APPS = {
    "accounts",
    "auth",
    "sessions",
    "token_blacklist",
    "account",
    "socialaccount",
    "mfa",
    "usersessions",
    "contenttypes",
}

# None outside a request; False in a request that has not written yet; True after its write.
request_wrote: ContextVar[bool | None] = ContextVar("request_wrote", default=None)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db  # related objects come from where their owner came from
        if (
            request_wrote.get() is not False
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        if request_wrote.get() is False:
            request_wrote.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, **hints):
        return db == PRIMARY
