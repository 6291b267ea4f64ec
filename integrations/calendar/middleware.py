"""Tasks deleted from a device, offered for undo on the user's next web page."""

from django.utils.translation import gettext

from tasks.views import offer_undo

from . import selectors, services

# Where no page is shown: the API, CalDAV, the feed, and the static files.
SKIPPED_PREFIXES = ("/api/", "/dav", "/.well-known/", "/ics/", "/static/")


class DeviceDeletionsMiddleware:
    """On a signed-in page, each task a CalDAV client deleted since becomes the tasks' own
    undo offer: a message with an Undo button. It costs a cache read per page; the database
    is read only when there is something to say."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._is_page(request) and selectors.has_deletions(request.user):
            for deletion in services.take_deletions(user=request.user):
                if deletion.device:
                    text = gettext("“%(title)s” was deleted on %(device)s.") % {
                        "title": deletion.title,
                        "device": deletion.device,
                    }
                else:
                    text = gettext("“%(title)s” was deleted on a device.") % {
                        "title": deletion.title
                    }
                offer_undo(request, text, deletion.state)
        return self.get_response(request)

    @staticmethod
    def _is_page(request) -> bool:
        return (
            request.method == "GET"
            and request.user.is_authenticated
            and not getattr(request, "htmx", False)
            and not request.path_info.startswith(SKIPPED_PREFIXES)
        )
