"""Block Kit messages: each function returns `{"text": ..., "blocks": [...]}` for one message.

`text` is the plain fallback Slack shows in notifications and to screen readers; the blocks
are the message itself. Task rows carry a "Done" button whose value is the task's id.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template.defaultfilters import date as _due
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, ngettext, pgettext

from .selectors import DailyPlan, WeeklyReview

DONE_ACTION = "task_done"
Message = dict[str, Any]


def escape(text: str) -> str:
    """Slack's mrkdwn treats &, < and > as markup; user text must not."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(path: str, label: str) -> str:
    return f"<{settings.SITE_URL}{path}|{escape(label)}>"


def _section(text: str, **extra) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def task_row(task, *, note: str = "") -> dict:
    """A task with its Done button (the button's value is the task id)."""
    line = f"*{escape(task.title)}*"
    if task.goal_id:
        line += f"  ·  {escape(task.goal.title)}"
    if note:
        line += f"\n{note}"
    return _section(
        line,
        block_id=f"task-{task.pk}",
        accessory={
            "type": "button",
            "action_id": DONE_ACTION,
            "value": str(task.pk),
            "text": {"type": "plain_text", "text": pgettext("button: mark a task done", "Done")},
            "style": "primary",
        },
    )


def done_row(title: str) -> dict:
    """What a task's row becomes once the Done button completed it."""
    return _section(":white_check_mark: " + gettext("~%(title)s~  done") % {"title": escape(title)})


def _day(day) -> str:
    """ "Tuesday, 1 December" in the active language."""
    return f"{date_format(day, 'l')}, {date_format(day, 'MONTH_DAY_FORMAT')}"


def daily_plan(plan: DailyPlan) -> Message:
    day = _day(plan.today)
    header = gettext("Your plan for %(day)s") % {"day": day}
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": header}}]
    if plan.overdue:
        overdue = gettext("*Overdue* (%(count)d)") % {"count": len(plan.overdue)}
        blocks.append(_section(f":warning: {overdue}"))
        blocks += [
            task_row(
                task,
                note=gettext("was due %(date)s")
                % {"date": _due(task.due_date, "MONTH_DAY_FORMAT")},
            )
            for task in plan.overdue
        ]
    due = gettext("*Due today* (%(count)d)") % {"count": len(plan.due_today)}
    blocks.append(_section(f":calendar: {due}"))
    if plan.due_today:
        blocks += [task_row(task) for task in plan.due_today]
    else:
        blocks.append(_context(gettext("Nothing is due today.")))
    blocks.append(_context(_link(reverse("tasks:list"), gettext("Open your task list"))))
    text = gettext("Your plan for %(day)s: %(due)d due today, %(overdue)d overdue.") % {
        "day": day,
        "due": len(plan.due_today),
        "overdue": len(plan.overdue),
    }
    return {"text": text, "blocks": blocks}


def weekly_review(review: WeeklyReview) -> Message:
    span = gettext("%(start)s to %(end)s") % {
        "start": date_format(review.start, "MONTH_DAY_FORMAT"),
        "end": date_format(review.end, "MONTH_DAY_FORMAT"),
    }
    parts = review.parts
    score = (
        gettext("no score (nothing done, nothing overdue)")
        if review.score is None
        else f"{review.score}"
    )
    possible = parts["possible_points"]
    figures = gettext("%(on_time)d done on time · %(late)d done late · %(overdue)d overdue") % {
        "on_time": parts["completed_on_time"],
        "late": parts["completed_late"],
        "overdue": parts["overdue"],
    }
    points = ngettext(
        "%(earned)s of %(possible)d point", "%(earned)s of %(possible)d points", possible
    ) % {"earned": number_format(Decimal(f"{parts['earned_points']:g}")), "possible": possible}
    blocks: list[dict] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": gettext("Your week, %(span)s") % {"span": span}},
        },
        _section(gettext("*Productivity score:* %(score)s") % {"score": score}),
        _context(f"{figures} · {points}"),
    ]
    moved = gettext("*Goals that moved*")
    if review.moved:
        lines = [
            f"• {escape(move.goal.title)}: {move.before}% → {move.after}% ({move.change:+d})"
            for move in review.moved
        ]
        blocks.append(_section(moved + "\n" + "\n".join(lines)))
    else:
        blocks.append(_section(moved + "\n" + gettext("No goal moved this week.")))
    slipped = gettext("*What slipped*")
    if review.slipped:
        lines = [
            "• "
            + (
                gettext("%(title)s (due %(date)s, still open)")
                if task.completed_at is None
                else gettext("%(title)s (due %(date)s, done late)")
            )
            % {
                "title": escape(task.title),
                "date": f"{_due(task.due_date, 'D')} {_due(task.due_date, 'MONTH_DAY_FORMAT')}",
            }
            for task in review.slipped
        ]
        blocks.append(_section(slipped + "\n" + "\n".join(lines)))
    else:
        nothing = gettext("Nothing: every task due this week was done on time.")
        blocks.append(_section(slipped + "\n" + nothing))
    blocks.append(_context(_link(reverse("analytics:index"), gettext("See your analytics"))))
    text = gettext("Your week %(span)s: score %(score)s") % {"span": span, "score": score}
    text += ", " + ngettext("%(count)d goal moved", "%(count)d goals moved", len(review.moved)) % {
        "count": len(review.moved)
    }
    text += ", " + ngettext(
        "%(count)d task slipped.", "%(count)d tasks slipped.", len(review.slipped)
    ) % {"count": len(review.slipped)}
    return {"text": text, "blocks": blocks}


def goal_completed(goal) -> Message:
    text = ":tada: " + gettext("Goal completed: *%(title)s*") % {"title": escape(goal.title)}
    return {
        "text": gettext("Goal completed: %(title)s") % {"title": goal.title},
        "blocks": [
            _section(text),
            _context(_link(goal.get_absolute_url(), gettext("Open the goal"))),
        ],
    }


def goal_off_track(tracking: dict) -> Message:
    text = ":chart_with_downwards_trend: " + gettext(
        "*%(title)s* is falling behind: %(progress)s%% done, %(expected)s%% expected by today "
        "(target %(date)s)."
    ) % {
        "title": escape(tracking["title"]),
        "progress": tracking["progress"],
        "expected": tracking["expected_progress"],
        "date": date_format(tracking["target_date"], "DATE_FORMAT"),
    }
    return {
        "text": gettext("%(title)s is falling behind") % {"title": tracking["title"]},
        "blocks": [
            _section(text),
            _context(
                _link(reverse("goals:detail", args=[tracking["id"]]), gettext("Open the goal"))
            ),
        ],
    }


def task_reminder(tasks) -> Message:
    """The afternoon nudge: what is due today and still open."""
    titles = ", ".join(task.title for task in tasks)
    return {
        "text": gettext("Still open today: %(titles)s") % {"titles": titles},
        "blocks": [
            _section(":bell: " + gettext("*Still open today*")),
            *(task_row(task) for task in tasks),
        ],
    }


def notification(subject: str, body: str, url: str) -> Message:
    """A notification of the hub's (lib.notifications: a task's reminder): its subject, its
    text and a button to open what it is about."""
    rows = [_section(f":bell: *{escape(subject)}*")]
    if body:
        rows.append(_section(escape(body)[:3000]))  # a section's text holds 3,000 characters
    if url:
        button = {
            "type": "button",
            "text": {"type": "plain_text", "text": gettext("Open in Bakhmach")},
            "url": url,
        }
        rows.append({"type": "actions", "elements": [button]})
    return {"text": subject, "blocks": rows}


def ephemeral(text: str, blocks: list[dict] | None = None) -> Message:
    """A reply only the person who typed the command sees."""
    return {"response_type": "ephemeral", "text": text, "blocks": blocks or [_section(text)]}


def how_to_connect() -> Message:
    path = reverse("slack:settings")
    return ephemeral(
        gettext(
            "Your Slack account is not connected to Bakhmach Business Hub yet. "
            "Sign in at %(link)s and choose *Add to Slack*; then try again."
        )
        % {"link": _link(path, gettext("Settings → Slack"))}
    )
