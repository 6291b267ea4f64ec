"""Where report files live: the private "reports" storage of STORAGES, never the public media.

Locally a folder outside MEDIA_ROOT (REPORTS_ROOT), on S3 the "reports/" prefix of the private
bucket. No URL of the web server leads there: the owner-checked download view streams the
file, or on S3 redirects to a signed, expiring URL.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

ALIAS = "reports"


class ReportStorage(LazyObject):
    """`storages["reports"]`, looked up on first use (like Django's `default_storage`)."""

    def _setup(self):
        self._wrapped = storages[ALIAS]


report_storage = ReportStorage()


def get_report_storage():
    """The storage of `ReportJob.file` (a callable, so migrations do not freeze the backend)."""
    return report_storage


@receiver(setting_changed)
def _forget_backend(*, setting, **kwargs):
    # `storages` forgets its instances when STORAGES changes; this proxy follows it.
    if setting == "STORAGES":
        report_storage._wrapped = empty  # type: ignore[assignment]  # LazyObject's "not set up"
