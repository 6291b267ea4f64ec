"""Serving a ready report's file to its owner: streamed from local storage, or a signed URL."""

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from storages.backends.s3 import S3Storage

from .models import ReportJob


def download_response(job: ReportJob):
    """The response that hands `job`'s file to its (already checked) owner.

    On S3 the browser is sent to a signed URL that expires after AWS_QUERYSTRING_EXPIRE
    seconds and names the file for download; the bucket itself stays private. On local
    storage the file is streamed from disk.
    """
    storage = job.file.storage
    if isinstance(storage, S3Storage):
        url = storage.url(
            job.file.name,
            parameters={
                "ResponseContentDisposition": f'attachment; filename="{job.download_name}"',
                "ResponseContentType": job.content_type,
            },
        )
        response: HttpResponseBase = HttpResponseRedirect(url)
    else:
        try:
            handle = job.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(
                gettext("The file of this report is gone; please request it again.")
            ) from exc
        response = FileResponse(
            handle, as_attachment=True, filename=job.download_name, content_type=job.content_type
        )
    patch_cache_control(response, private=True, no_store=True)
    return response
