"""Why a report job fails: the errors worth a retry, and the messages its owner reads."""

import botocore.exceptions
import redis.exceptions
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext_lazy as _
from django_redis.exceptions import ConnectionInterrupted


class ReportError(Exception):
    """A job that cannot be made, with the reason its owner is shown."""


# Errors that say "a service is briefly unavailable", not "this job cannot be made": the task
# retries them with backoff. Everything else fails the job at once, with a message.
TRANSIENT_ERRORS = (
    OperationalError,
    InterfaceError,
    ConnectionError,
    TimeoutError,
    botocore.exceptions.ConnectionError,
    botocore.exceptions.HTTPClientError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionInterrupted,
)

# What a storage that refuses the file raises: a local folder without write permission, or an
# S3 bucket that is missing or denies access.
STORAGE_ERRORS = (OSError, botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError)

UNAVAILABLE_MESSAGE = _(
    "The report could not be made because a service was unavailable. Please try again later."
)
TOO_SLOW_MESSAGE = _("The report took too long to make. Please try again later.")
UNEXPECTED_MESSAGE = _("The report could not be made because of an unexpected error.")
STORAGE_MESSAGE = _("The report was made but could not be stored. Please try again later.")
PLAN_GONE_MESSAGE = _("The plan was deleted before its report could be made.")
WORKER_LOST_MESSAGE = _(
    "The report could not be made: the worker making it stopped several times. "
    "Please try again later."
)


class QuotaExceeded(Exception):
    """A user asked for more new jobs than the quota allows; says when to try again."""

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


TOO_MANY_PENDING_MESSAGE = _(
    "You already have {count} reports being made. Please wait for them to finish."
)
TOO_MANY_PER_HOUR_MESSAGE = _(
    "You asked for {count} new reports in the last hour; that is the limit."
)
