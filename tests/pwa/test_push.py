"""Web push: subscriptions per device, and reminders through the fake push service."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from lib import notifications
from pwa.models import PushSubscription
from tasks import services as task_services

pytestmark = pytest.mark.django_db


def subscribe(client, device):
    return client.post(
        "/push/subscribe", json.dumps(device.subscription_json()), content_type="application/json"
    )


def test_a_device_subscribes_and_unsubscribes(web_client, user, push):
    device = push.subscribe()

    answer = subscribe(web_client, device)
    again = subscribe(web_client, device)

    assert answer.status_code == again.status_code == 201
    stored = PushSubscription.objects.get()
    assert (stored.user, stored.endpoint, stored.p256dh, stored.auth) == (
        user,
        device.endpoint,
        device.p256dh,
        device.auth,
    )
    gone = web_client.post(
        "/push/unsubscribe",
        json.dumps({"endpoint": device.endpoint}),
        content_type="application/json",
    )
    assert gone.status_code == 200
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        json.dumps({"endpoint": "https://push.example/x", "keys": "no"}).encode(),
        json.dumps({"endpoint": "not a url", "keys": {"p256dh": "abc", "auth": "abc"}}).encode(),
        json.dumps(
            {"endpoint": "https://push.example/x", "keys": {"p256dh": "a b", "auth": "c"}}
        ).encode(),
    ],
)
def test_a_bad_subscription_is_a_400(web_client, push, body):
    answer = web_client.post("/push/subscribe", body, content_type="application/json")

    assert answer.status_code == 400
    assert "detail" in answer.json()
    assert not PushSubscription.objects.exists()


def test_another_users_device_cannot_be_unsubscribed(web_client, other_user, push):
    device = push.subscribe()
    theirs = Client()
    theirs.force_login(other_user)
    subscribe(theirs, device)

    answer = web_client.post(
        "/push/unsubscribe",
        json.dumps({"endpoint": device.endpoint}),
        content_type="application/json",
    )

    assert answer.status_code == 404
    assert PushSubscription.objects.get().user == other_user


def test_subscribing_needs_the_switch_and_a_signed_in_user(web_client, client, push, settings):
    device = push.subscribe()
    settings.WEBPUSH_ENABLED = False

    assert subscribe(web_client, device).status_code == 409
    web_client.logout()
    assert subscribe(client, device).status_code == 302
    assert not PushSubscription.objects.exists()


def test_a_notification_arrives_encrypted_and_signed(web_client, user, push):
    phone, laptop = push.subscribe(), push.subscribe()
    subscribe(web_client, phone)
    subscribe(web_client, laptop)

    delivery = notifications.deliver(
        notifications.Notification(
            user=user, subject="Reminder: Call mom", body="Due today.", url="http://x/t", key="r:1"
        )
    )

    assert "webpush" in delivery.sent
    expected = {
        "title": "Reminder: Call mom",
        "body": "Due today.",
        "url": "http://x/t",
        "tag": "r:1",
    }
    assert phone.messages == laptop.messages == [expected]
    assert push.refusals == []
    (claims,) = phone.claims
    assert claims["aud"] == push.url
    assert claims["sub"] == "mailto:ops@example.com"


def test_a_gone_subscription_is_deleted(web_client, user, push):
    kept, dropped = push.subscribe(), push.subscribe()
    subscribe(web_client, kept)
    subscribe(web_client, dropped)
    dropped.gone = True

    delivery = notifications.deliver(
        notifications.Notification(user=user, subject="Hello", body="", key="k")
    )

    assert "webpush" in delivery.sent
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [kept.endpoint]
    kept.gone = True
    delivery = notifications.deliver(
        notifications.Notification(user=user, subject="Hello", body="", key="k")
    )
    assert "webpush" in delivery.failed
    assert not PushSubscription.objects.exists()


def test_a_message_signed_with_another_key_is_refused(web_client, user, push):
    """The browser subscribed with another server's key (the keys were changed since)."""
    device = push.subscribe()
    subscribe(web_client, device)
    out = io.StringIO()
    call_command("generate_vapid_keys", stdout=out)
    push.application_server_key = out.getvalue().split()[0].removeprefix("VAPID_PUBLIC_KEY=")

    delivery = notifications.deliver(
        notifications.Notification(user=user, subject="Hello", body="", key="k")
    )

    assert "webpush" in delivery.failed
    assert device.messages == []
    assert PushSubscription.objects.exists()  # refused, not gone


def test_the_switch_off_leaves_web_push_out(web_client, user, push, settings):
    device = push.subscribe()
    subscribe(web_client, device)
    settings.WEBPUSH_ENABLED = False

    delivery = notifications.deliver(
        notifications.Notification(user=user, subject="Hello", body="", key="k")
    )

    assert "webpush" not in delivery.sent + delivery.failed
    assert device.messages == []


def test_a_task_reminder_goes_to_the_device(web_client, user, push, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC), tick=False)
    device = push.subscribe()
    subscribe(web_client, device)
    task = task_services.create_task(
        user=user,
        title="Call mom",
        due_date=datetime.date(2026, 3, 2),
        due_time=datetime.time(9),
        reminders=[{"minutes_before": 30}],
    )
    time_machine.move_to(datetime.datetime(2026, 3, 2, 8, 31, tzinfo=datetime.UTC), tick=False)

    assert task_services.send_due_reminders() == 1

    (message,) = device.messages
    assert message["title"] == "Reminder: Call mom"
    assert message["url"].endswith(task.get_absolute_url())
    assert message["tag"].startswith("reminder:")
