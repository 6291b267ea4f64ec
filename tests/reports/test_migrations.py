"""The move of report files made before the private storage out of the public media."""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from reports.models import Format, Kind, ReportJob, Status
from reports.storage import report_storage

pytestmark = pytest.mark.django_db

migration = importlib.import_module("reports.migrations.0002_private_storage")


def test_old_report_files_move_from_the_public_media_into_the_private_storage(user):
    old_name = f"reports/{user.pk}/old.zip"
    default_storage.save(old_name, ContentFile(b"PK old export"))
    job = ReportJob.objects.create(
        owner=user,
        kind=Kind.ANALYTICS_EXPORT,
        format=Format.CSV,
        status=Status.READY,
        file=old_name,
        finished_at=timezone.now(),
    )

    migration.into_private_storage(apps, None)
    migration.into_private_storage(apps, None)  # a second run changes nothing

    job.refresh_from_db()
    assert job.file.name == f"{user.pk}/old.zip"
    assert not default_storage.exists(old_name)
    with job.file.open("rb") as handle:
        assert handle.read() == b"PK old export"

    migration.back_to_media(apps, None)

    job.refresh_from_db()
    assert job.file.name == old_name
    assert default_storage.exists(old_name)
    assert not report_storage.exists(f"{user.pk}/old.zip")
