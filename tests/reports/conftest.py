import datetime
import io
import zipfile

import pytest
from django.utils import timezone

from goals.models import Domain
from goals.services import create_goal, log_progress
from plans.services import create_plan
from tasks.services import create_task

UKRAINIAN_GOAL = "Вивчити англійську"


def local_storages(reports_root) -> dict:
    """STORAGES on local disk, with report files in `reports_root` (as without a bucket)."""
    return {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(reports_root)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _reports_storage(settings, tmp_path):
    """Report files go to a fresh private folder per test, media to another; pages render
    without collected static."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = local_storages(tmp_path / "reports")


def build_plan(user, *, goals=2, tasks_per_goal=3):
    """A plan in Ukrainian and English: goals with progress logs and tasks, some done."""
    today = timezone.localdate()
    plan = create_plan(
        user=user,
        title="Мій план розвитку 2026",
        description="Career and learning plan",
        vision="Стати впевненим інженером і говорити англійською вільно.",  # noqa: RUF001
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=150),
    )
    titles = [UKRAINIAN_GOAL, "Run a half marathon"] + [f"Goal number {n}" for n in range(goals)]
    for index in range(goals):
        goal = create_goal(
            user=user,
            plan=plan,
            title=titles[index],
            domain=Domain.LEARNING if index == 0 else Domain.HEALTH,
            description="Щодня 30 хвилин" if index == 0 else "Three runs a week",
            target_date=today + datetime.timedelta(days=60 + index),
        )
        for step, value in enumerate((10, 25, 40)):
            log_progress(
                goal=goal,
                value=value + index,
                now=timezone.now() - datetime.timedelta(days=20 - 5 * step),
            )
        for number in range(tasks_per_goal):
            task = create_task(
                user=user,
                goal=goal,
                title=f"Урок {number + 1}" if index == 0 else f"Run {number + 1}",
                priority=1 + number % 5,
                due_date=today + datetime.timedelta(days=number - 1),
            )
            if number == 0:
                task.complete()
    return plan


@pytest.fixture
def plan(user):
    return build_plan(user)


def open_archive(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))
