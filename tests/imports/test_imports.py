"""Importing a file: preview, the background job, the report, and nothing half-imported."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.services import settings_for, update_settings
from bakhmach.celery import app as celery_app
from goals.factories import GoalFactory
from goals.models import Goal
from imports import services
from imports.models import ImportJob, Status
from tasks.models import Label, Subtask, Task
from tests.web import HTMX, is_fragment

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
# The Ukrainian apostrophe of a Todoist section and label ("health").
HEALTH = "Здоров\u2019я"
HEALTH_LABEL = HEALTH.lower()
IMPORT_QUERIES = 89


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """`with run_jobs():` runs the Celery jobs enqueued in the block (on commit), eagerly."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    celery_app.conf.task_always_eager = previous


def upload(web_client, name, content=None):
    content = (FILES / name).read_bytes() if content is None else content
    return web_client.post(
        reverse("imports:upload"), {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def test_a_todoist_export_is_previewed_then_imported(web_client, user, run_jobs):
    GoalFactory(user=user, title="career")  # an existing goal, in another letter case
    Label.objects.create(user=user, name="Family")

    response = upload(web_client, "todoist_export.csv")

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:detail", args=[job.pk])
    assert Task.objects.count() == 0  # nothing is written before the go-ahead
    page = web_client.get(response.url)
    assert page.context["preview"]["new_goals"] == [HEALTH]
    assert page.context["preview"]["known_goals"] == ["Career"]
    assert page.context["preview"]["known_labels"] == ["family"]
    assert page.context["preview"]["new_labels"] == [
        "errands",
        "admin",
        "home",
        "work",
        HEALTH_LABEL,
    ]
    assert b"Import 6 tasks" in page.content
    assert b"Renew passport" in page.content

    with run_jobs():
        web_client.post(reverse("imports:start", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == Status.DONE
    assert job.report == {
        "tasks": 6,
        "subtasks": 2,
        "goals": [HEALTH],
        "labels": ["errands", "admin", "home", "work", HEALTH_LABEL],
    }
    tasks = {task.title: task for task in Task.objects.filter(user=user)}
    assert set(tasks) == {
        "Renew passport",
        "Call mom",
        "Water the plants",
        "Update the CV",
        "Ask Taras for a reference",
        "Записатися до лікаря",
    }
    call = tasks["Call mom"]
    assert call.due_date == datetime.date(2026, 3, 5)
    assert call.due_time == datetime.time(18, 0)
    assert [label.name for label in call.labels.all()] == ["Family"]
    assert list(call.subtasks.values_list("title", "position")) == [
        ("Pack documents", 0),
        ("Copy of the ID card", 1),
    ]
    plants = tasks["Water the plants"]
    assert plants.recurrence == "FREQ=WEEKLY;BYDAY=MO"
    assert plants.recurrence_start == plants.due_date
    assert [label.name for label in plants.labels.all()] == ["home"]
    assert tasks["Update the CV"].goal.title == "career"
    assert tasks["Записатися до лікаря"].goal.title == HEALTH
    assert Goal.objects.filter(user=user).count() == 2
    report = web_client.get(reverse("imports:detail", args=[job.pk]))
    assert b"6 tasks imported, with 2 checklist items" in report.content


def test_a_malformed_file_shows_every_problem_and_imports_nothing(web_client, user):
    response = upload(web_client, "todoist_malformed.csv")

    assert response.status_code == 422
    assert b"The file was not imported" in response.content
    assert "Line 4: PRIORITY is “7”; it must be 1, 2, 3 or 4.".encode() in response.content
    assert b"Line 7: A sub-task (INDENT 2+) must follow its task." in response.content
    assert ImportJob.objects.count() == 0
    assert Task.objects.count() == 0


def test_a_failure_while_writing_leaves_nothing_half_imported(user, run_jobs):
    job, _ = services.preview_import(
        user=user, filename="generic.csv", content=(FILES / "generic.csv").read_bytes()
    )
    # The last row breaks the database's priority rule, after the goals, labels and first
    # tasks were written.
    job.rows[-1]["priority"] = 9
    job.save()

    with run_jobs():
        services.start_import(job=job)

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "nothing was imported" in job.error
    assert Task.objects.count() == 0
    assert Goal.objects.count() == 0
    assert Label.objects.count() == 0
    assert Subtask.objects.count() == 0


def test_a_failure_is_stored_in_its_owners_language(user, run_jobs):
    update_settings(user_settings=settings_for(user), language="uk")
    job, _ = services.preview_import(
        user=user, filename="generic.csv", content=(FILES / "generic.csv").read_bytes()
    )
    job.rows[-1]["title"] = ""  # refused by the task's own validation, after the first rows
    job.save()

    with run_jobs():
        services.start_import(job=job)

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error.startswith("Імпорт зупинився через помилку, нічого не імпортовано.")
    assert " Причина: " in job.error
    assert "The reason" not in job.error


def test_starting_twice_imports_once(user, run_jobs):
    job, _ = services.preview_import(
        user=user, filename="g.csv", content=(FILES / "generic.csv").read_bytes()
    )

    with run_jobs():
        services.start_import(job=job)
        services.start_import(job=job)
    services.run_import(job_id=job.pk)  # a message delivered again

    assert Task.objects.count() == 3


def test_the_page_polls_while_the_import_is_queued(web_client, user):
    job, _ = services.preview_import(
        user=user, filename="g.csv", content=(FILES / "generic.csv").read_bytes()
    )
    services.start_import(job=job)  # no worker runs it here

    response = web_client.get(reverse("imports:detail", args=[job.pk]), **HTMX)

    assert is_fragment(response)
    assert b'hx-trigger="every 1s"' in response.content
    assert b"Importing" in response.content


def test_cancel_drops_the_preview(web_client, user):
    job, _ = services.preview_import(
        user=user, filename="g.csv", content=(FILES / "generic.csv").read_bytes()
    )

    response = web_client.post(reverse("imports:cancel", args=[job.pk]))

    assert response.status_code == 302
    assert not ImportJob.objects.exists()
    assert Task.objects.count() == 0


def test_another_users_import_is_a_404(web_client, other_user):
    job, _ = services.preview_import(
        user=other_user, filename="g.csv", content=(FILES / "generic.csv").read_bytes()
    )

    assert web_client.get(reverse("imports:detail", args=[job.pk])).status_code == 404
    assert web_client.post(reverse("imports:start", args=[job.pk])).status_code == 404
    assert web_client.post(reverse("imports:cancel", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == Status.PREVIEW


def test_the_upload_page_and_a_missing_file(web_client):
    assert web_client.get(reverse("imports:upload")).status_code == 200

    response = web_client.post(reverse("imports:upload"), {})

    assert response.status_code == 422
    assert b"This field is required" in response.content


def test_a_binary_file_is_refused_clearly(web_client):
    response = upload(web_client, "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00")

    assert response.status_code == 422
    assert b"not a CSV text file" in response.content or b"not UTF-8" in response.content


@pytest.mark.parametrize("count", [5, 60])
def test_the_import_costs_the_same_queries_for_any_number_of_rows(
    user, count, django_assert_num_queries
):
    lines = "".join(f"Task {n},2026-03-01,2,home;work,Goal {n % 2}\n" for n in range(count))
    job, _ = services.preview_import(
        user=user, filename="g.csv", content=f"title,due,priority,labels,goal\n{lines}".encode()
    )
    ImportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED)
    # Whatever the rows: the job (locked) and its savepoint; the user's tasks counted (room for
    # the file); the goals read, two created (each through goals.services, validated, the
    # user's goals counted); the labels read, two found or created (through tasks.services,
    # the user's labels counted); one insert each of tasks, their labels and checklists; the
    # job saved.
    with django_assert_num_queries(IMPORT_QUERIES):
        services.run_import(job_id=job.pk)
    assert Task.objects.count() == count
