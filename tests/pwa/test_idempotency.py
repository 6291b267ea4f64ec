"""Idempotency-Key (pwa.middleware): a write sent twice with one key is applied once."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.factories import UserFactory
from pwa import services, tasks
from pwa.models import IdempotencyKey
from tasks.factories import TaskFactory
from tasks.models import Task, TaskCompletion

pytestmark = pytest.mark.django_db


def recurring_task(user):
    return TaskFactory(
        user=user,
        recurrence="FREQ=DAILY",
        due_date=date(2026, 3, 2),
        recurrence_start=date(2026, 3, 2),
    )


def toggle(client, task, key=None, *, htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    if key:
        headers["Idempotency-Key"] = key
    return client.post(f"/tasks/{task.pk}/toggle", {"done": "true"}, headers=headers)


def test_a_completion_sent_twice_with_one_key_completes_once(web_client, user):
    task = recurring_task(user)

    first = toggle(web_client, task, "k-1")
    again = toggle(web_client, task, "k-1")

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert TaskCompletion.objects.filter(task=task).count() == 1


def test_without_a_key_each_completion_counts(web_client, user):
    """The case the key guards against: a recurring task completed twice moves on twice."""
    task = recurring_task(user)

    toggle(web_client, task)
    toggle(web_client, task)

    assert TaskCompletion.objects.filter(task=task).count() == 2


def test_a_new_key_is_a_new_request(web_client, user):
    task = recurring_task(user)

    toggle(web_client, task, "k-1")
    toggle(web_client, task, "k-2")

    assert TaskCompletion.objects.filter(task=task).count() == 2


def test_a_quick_add_sent_twice_creates_one_task(web_client, user):
    headers = {"HX-Request": "true", "Idempotency-Key": "add-1"}

    first = web_client.post("/tasks/quick-add", {"title": "Call the bank"}, headers=headers)
    again = web_client.post("/tasks/quick-add", {"title": "Call the bank"}, headers=headers)

    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert list(Task.objects.filter(user=user).values_list("title", flat=True)) == ["Call the bank"]


def test_a_plain_form_post_replays_its_redirect(web_client, user):
    headers = {"Idempotency-Key": "add-plain"}
    data = {"title": "Renew the passport", "next": "/dashboard"}

    first = web_client.post("/tasks/quick-add", data, headers=headers)
    again = web_client.post("/tasks/quick-add", data, headers=headers)

    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == "/dashboard"
    assert Task.objects.filter(user=user).count() == 1


def test_the_api_honours_the_key_with_a_token(api_client, user):
    task = recurring_task(user)
    headers = {"Idempotency-Key": "api-1"}

    first = api_client.post(f"/api/tasks/{task.pk}/complete/", headers=headers)
    again = api_client.post(f"/api/tasks/{task.pk}/complete/", headers=headers)
    created = [
        api_client.post(
            "/api/tasks/",
            {"title": "Pay rent"},
            format="json",
            headers={"Idempotency-Key": "api-2"},
        )
        for _ in range(2)
    ]

    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again["Content-Type"] == "application/json"
    assert TaskCompletion.objects.filter(task=task).count() == 1
    assert [answer.status_code for answer in created] == [201, 201]
    assert created[0].json() == created[1].json()
    assert Task.objects.filter(user=user, title="Pay rent").count() == 1


def test_keys_are_per_user(web_client, client, user, other_user):
    mine, theirs = recurring_task(user), recurring_task(other_user)
    toggle(web_client, mine, "shared")
    client.force_login(other_user)

    toggle(client, theirs, "shared")

    assert TaskCompletion.objects.filter(task=theirs).count() == 1
    assert IdempotencyKey.objects.filter(key="shared").count() == 2


def test_a_key_reused_for_another_request_is_refused(web_client, api_client, user):
    task, other = recurring_task(user), recurring_task(user)
    toggle(web_client, task, "k-1")

    page = toggle(web_client, other, "k-1")
    api = api_client.post(f"/api/tasks/{other.pk}/complete/", headers={"Idempotency-Key": "k-1"})

    assert page.status_code == api.status_code == 422
    assert "detail" in api.json()
    assert not TaskCompletion.objects.filter(task=other).exists()


def test_a_repeat_while_the_first_is_answered_is_asked_to_wait(web_client, user):
    task = recurring_task(user)
    services.claim_idempotency_key(
        user=user, key="busy", request_line=f"POST /tasks/{task.pk}/toggle"
    )

    answer = toggle(web_client, task, "busy")

    assert answer.status_code == 409
    assert answer["Retry-After"] == "1"
    assert not TaskCompletion.objects.filter(task=task).exists()


def test_an_expired_key_applies_again(web_client, user):
    task = recurring_task(user)
    toggle(web_client, task, "old")
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    answer = toggle(web_client, task, "old")

    assert "Idempotent-Replayed" not in answer
    assert TaskCompletion.objects.filter(task=task).count() == 2
    assert IdempotencyKey.objects.count() == 1


def test_a_bad_key_is_a_400(web_client, api_client, user):
    task = recurring_task(user)

    assert toggle(web_client, task, "x" * 256).status_code == 400
    api = api_client.post(f"/api/tasks/{task.pk}/complete/", headers={"Idempotency-Key": " "})
    assert api.status_code == 400
    assert "detail" in api.json()
    assert not TaskCompletion.objects.exists()


def test_signed_out_the_key_changes_nothing(client, user):
    task = recurring_task(user)

    answer = toggle(client, task, "anon", htmx=False)

    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]
    assert not IdempotencyKey.objects.exists()


def test_a_failed_csrf_check_keeps_no_key(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    task = recurring_task(user)

    assert toggle(client, task, "forged").status_code == 403
    assert not IdempotencyKey.objects.exists()


def test_a_replay_costs_a_fixed_number_of_queries(web_client, user, django_assert_num_queries):
    task = recurring_task(user)
    toggle(web_client, task, "k-1")

    # The signed-in request's own: the user and the user's settings (its session activity was
    # recorded a moment ago). The replay: a savepoint, delete this user's expired keys, the
    # insert that fails in its own savepoint (savepoint, insert, rollback, release), read the
    # first answer, release. The view itself runs no query.
    with django_assert_num_queries(10):
        answer = toggle(web_client, task, "k-1")
    assert answer["Idempotent-Replayed"] == "true"


def test_expired_keys_of_every_user_are_forgotten_hourly_under_celery_beat(
    settings, web_client, user
):
    task = TaskFactory(user=user)
    toggle(web_client, task, "old")
    toggle(web_client, task, "fresh")
    idle = UserFactory()
    IdempotencyKey.objects.create(
        user=idle, key="idle", request_line="POST /x", expires_at=timezone.now()
    )
    IdempotencyKey.objects.filter(key="old").update(expires_at=timezone.now())

    assert tasks.forget_expired_keys() == 2

    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]
    entry = settings.CELERY_BEAT_SCHEDULE["pwa-forget-expired-keys"]
    assert entry["task"] == tasks.forget_expired_keys.name
    assert entry["schedule"] == timedelta(hours=1)
