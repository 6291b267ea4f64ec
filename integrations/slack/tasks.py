"""Celery tasks for Slack: the per-minute schedule, sending, and the work behind each request
Slack made (the view answered within Slack's 3 seconds and left the rest to these)."""

import functools

from celery import shared_task
from django.db import transaction

from . import client

MAX_RETRIES = 6


def backoff(retries: int) -> int:
    """Seconds before retry number `retries` + 1: 5, 10, 20, ... up to five minutes."""
    return min(5 * 2**retries, 300)


@shared_task
def schedule_deliveries():
    """Beat, every minute: create what is due (once per user and period) and send it."""
    from .services import schedule_due

    for delivery_id in schedule_due():
        transaction.on_commit(functools.partial(deliver.delay, delivery_id))


@shared_task(bind=True, max_retries=MAX_RETRIES)
def deliver(self, delivery_id):
    from .services import record_attempt, send_delivery

    try:
        send_delivery(delivery_id=delivery_id)
    except client.SlackUnavailable as exc:
        give_up = self.request.retries >= self.max_retries
        record_attempt(delivery_id=delivery_id, error=exc.error, give_up=give_up)
        if not give_up:
            raise self.retry(countdown=exc.retry_after or backoff(self.request.retries)) from exc


@shared_task
def run_command(team_id, slack_user_id, command, text, response_url):
    from .services import run_command

    message = run_command(team_id=team_id, slack_user_id=slack_user_id, command=command, text=text)
    respond.delay(response_url, message)


@shared_task
def run_interaction(payload):
    from .services import run_interaction

    message = run_interaction(payload=payload)
    if message is not None:
        respond.delay(payload["response_url"], message)


@shared_task(bind=True, max_retries=MAX_RETRIES)
def respond(self, response_url, message):
    """Post a reply to a response_url; the command's writes are done and are not repeated."""
    try:
        client.respond(response_url, message)
    except client.SlackUnavailable as exc:
        raise self.retry(countdown=exc.retry_after or backoff(self.request.retries)) from exc
