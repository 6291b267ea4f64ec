"""The subscription feed (no sign-in: its secret URL is the key), the settings page, and the
time blocks page."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from accounts.calendar import UserCalendar
from accounts.encryption import decrypt
from lib.web import INVALID, edit_form, render_page, submit
from tasks.selectors import get_task_or_404

from . import ical, selectors, services
from .forms import AppPasswordForm, FeedOptionsForm, TimeBlockForm
from .models import Feed

TEMPLATE = "calendar_sync/settings.html"
TIME_BLOCKS_TEMPLATE = "calendar_sync/time_blocks.html"
# The password just created, shown once on the page the form redirects to, then forgotten.
NEW_PASSWORD_KEY = "calendar_sync:new_app_password"  # noqa: S105 - a session key


@require_safe
def feed(request, token):
    """The user's calendar as RFC 5545, with an ETag and Last-Modified for cheap polling.

    The ETag is a digest of the rows the feed is made of, so an unchanged feed answers 304
    without being rendered.
    """
    feed = selectors.get_feed_by_token_or_404(token)
    items = selectors.feed_items(feed)
    layout = {
        "name": f"Bakhmach · {feed.user.display_name}",
        "base_url": request.build_absolute_uri("/").rstrip("/"),
    }
    fingerprint = ical.feed_fingerprint(items, **layout)
    now = timezone.now()
    services.record_feed_served(feed=feed, body_etag=fingerprint, now=now)
    etag = f'"{fingerprint}"'
    last_modified = int((feed.body_changed_at or now).timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = _calendar_response(ical.feed_calendar(items, **layout))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # A subscriber's URL is its secret: no shared cache may keep the answer.
    response["Cache-Control"] = "private, no-cache"
    return response


def _calendar_response(body: bytes):
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="bakhmach.ics"'
    return response


def feed_urls(request, token: str) -> dict[str, str]:
    """The feed's https:// (or http://) address and its webcal:// twin for "subscribe" links."""
    url = request.build_absolute_uri(reverse("calendar_sync:feed", args=[token]))
    return {"url": url, "webcal": "webcal://" + url.split("://", 1)[1]}


def _page(request, status=200, **bound_forms):
    user = request.user
    feed = selectors.feed_of(user) or Feed(user=user)
    context = {
        "feed": feed,
        "feed_urls": feed_urls(request, decrypt(feed.token_encrypted)) if feed.is_active else None,
        "options_form": edit_form(FeedOptionsForm, feed, user=user),
        "app_password_form": AppPasswordForm(),
        "app_passwords": selectors.app_passwords_of(user),
        "new_password": request.session.pop(NEW_PASSWORD_KEY, None),
        "caldav_url": request.build_absolute_uri(reverse("calendar_sync:dav-root")),
    } | bound_forms
    return render_page(request, TEMPLATE, context, status=status)


@login_required
@require_safe
def settings_page(request):
    return _page(request)


@login_required
@require_POST
def feed_rotate(request):
    had_feed = (selectors.feed_of(request.user) or Feed()).is_active
    services.rotate_feed(user=request.user)
    messages.success(
        request,
        gettext("New feed address made: the old one no longer works.")
        if had_feed
        else gettext("Your feed address is ready."),
    )
    return redirect("calendar_sync:settings")


@login_required
@require_POST
def feed_revoke(request):
    services.revoke_feed(user=request.user)
    messages.success(request, gettext("Feed turned off: its address no longer works."))
    return redirect("calendar_sync:settings")


@login_required
@require_POST
def feed_options(request):
    feed = selectors.feed_of(request.user) or Feed(user=request.user)
    form = edit_form(FeedOptionsForm, feed, request.POST, user=request.user)
    if submit(form, lambda data: services.update_feed_options(user=request.user, **data)):
        messages.success(request, gettext("Feed options saved."))
        return redirect("calendar_sync:settings")
    return _page(request, status=INVALID, options_form=form)


@login_required
@require_POST
def app_password_create(request):
    form = AppPasswordForm(request.POST)
    created = submit(
        form, lambda data: services.create_app_password(user=request.user, name=data["name"])
    )
    if created is None:
        return _page(request, status=INVALID, app_password_form=form)
    app_password, password = created
    request.session[NEW_PASSWORD_KEY] = {"name": app_password.name, "password": password}
    return redirect("calendar_sync:settings")


@login_required
@require_POST
def app_password_revoke(request, pk):
    app_password = selectors.get_app_password_or_404(request.user, pk)
    services.revoke_app_password(app_password=app_password)
    messages.success(
        request, gettext("“%(name)s” can no longer sync.") % {"name": app_password.name}
    )
    return redirect("calendar_sync:settings")


# --- Time blocks ---------------------------------------------------------------------------------


def _plan_page(request, day, *, status=200, bound=None):
    """The day's time blocks, each task with its own form (`bound`: one that came back)."""
    plan = selectors.day_plan(request.user, day)

    def form_for(task):
        if bound is not None and bound[0] == task.pk:
            return bound[1]
        block = getattr(task, "time_block", None)
        minutes = block.minutes if block is not None else ical.DEFAULT_BLOCK_MINUTES
        return TimeBlockForm(
            initial={"day": day, "start": task.due_time, "minutes": minutes},
            auto_id=f"id_{task.pk}_%s",
        )

    rows = {
        name: [(task, form_for(task), ical.block_end(task)) for task in getattr(plan, name)]
        for name in ("timed", "untimed", "undated")
    }
    context = {
        "plan": plan,
        "rows": rows,
        "previous": day - datetime.timedelta(days=1),
        "next": day + datetime.timedelta(days=1),
        "today": UserCalendar.of(request.user, user_settings=request.user_settings).today,
        "default_minutes": ical.DEFAULT_BLOCK_MINUTES,
    }
    return render_page(request, TIME_BLOCKS_TEMPLATE, context, status=status)


def _day_from(value, default) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return default
    return min(max(day, datetime.date(1, 1, 2)), datetime.date(9999, 12, 30))


@login_required
@require_safe
def time_blocks(request):
    """A day of time blocks: the tasks set for a time, and the ones that could be."""
    today = UserCalendar.of(request.user, user_settings=request.user_settings).today
    return _plan_page(request, _day_from(request.GET.get("date"), today))


@login_required
@require_POST
def time_block_set(request, pk):
    """Give a task a time (or, with `clear`, take it away), then show its day."""
    task = get_task_or_404(request.user, pk)
    form = TimeBlockForm(request.POST, auto_id=f"id_{task.pk}_%s")
    scheduled = submit(
        form,
        lambda data: services.schedule_task(
            task=task,
            day=data["day"],
            start=None if "clear" in request.POST else data["start"],
            minutes=data["minutes"],
        ),
    )
    if scheduled is None:
        today = UserCalendar.of(request.user, user_settings=request.user_settings).today
        day = _day_from(request.POST.get("day"), task.due_date or today)
        return _plan_page(request, day, status=INVALID, bound=(task.pk, form))
    values = {
        "title": scheduled.title,
        "date": formats.date_format(scheduled.due_date, "MONTH_DAY_FORMAT"),
    }
    if scheduled.due_time:
        values["time"] = formats.time_format(scheduled.due_time, "TIME_FORMAT")
        text = gettext("“%(title)s” is on %(date)s at %(time)s.") % values
    else:
        text = gettext("“%(title)s” is on %(date)s with no set time.") % values
    messages.success(request, text)
    return redirect(f"{reverse('calendar_sync:time-blocks')}?date={scheduled.due_date:%Y-%m-%d}")
