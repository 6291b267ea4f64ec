"""Block Kit messages: each function returns `{"text": ..., "blocks": [...]}` for one message.

`text` is the plain fallback Slack shows in notifications and to screen readers; the blocks
are the message itself. Task rows carry a "Done" button whose value is the task's id.
"""

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext

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
            "text": {"type": "plain_text", "text": "Done"},
            "style": "primary",
        },
    )


def done_row(title: str) -> dict:
    """What a task's row becomes once the Done button completed it."""
    return _section(f":white_check_mark: ~{escape(title)}~  done")


def daily_plan(plan: DailyPlan) -> Message:
    day = plan.today.strftime("%A, %-d %B")
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"Your plan for {day}"}}
    ]
    if plan.overdue:
        blocks.append(_section(f":warning: *Overdue* ({len(plan.overdue)})"))
        blocks += [task_row(task, note=f"was due {task.due_date:%-d %b}") for task in plan.overdue]
    blocks.append(_section(f":calendar: *Due today* ({len(plan.due_today)})"))
    if plan.due_today:
        blocks += [task_row(task) for task in plan.due_today]
    else:
        blocks.append(_context("Nothing is due today."))
    blocks.append(_context(_link(reverse("tasks:list"), "Open your task list")))
    text = f"Your plan for {day}: {len(plan.due_today)} due today, {len(plan.overdue)} overdue."
    return {"text": text, "blocks": blocks}


def weekly_review(review: WeeklyReview) -> Message:
    span = f"{review.start:%-d %b} to {review.end:%-d %b}"
    parts = review.parts
    score = (
        "no score (nothing done, nothing overdue)" if review.score is None else f"{review.score}"
    )
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"Your week, {span}"}},
        _section(f"*Productivity score:* {score}"),
        _context(
            f"{parts['completed_on_time']} done on time · {parts['completed_late']} done late · "
            f"{parts['overdue']} overdue · {parts['earned_points']:g} of "
            f"{parts['possible_points']} points"
        ),
    ]
    if review.moved:
        lines = [
            f"• {escape(move.goal.title)}: {move.before}% → {move.after}% ({move.change:+d})"
            for move in review.moved
        ]
        blocks.append(_section("*Goals that moved*\n" + "\n".join(lines)))
    else:
        blocks.append(_section("*Goals that moved*\nNo goal moved this week."))
    if review.slipped:
        lines = [
            f"• {escape(task.title)} (due {task.due_date:%a %-d %b}"
            + (", still open)" if task.completed_at is None else ", done late)")
            for task in review.slipped
        ]
        blocks.append(_section("*What slipped*\n" + "\n".join(lines)))
    else:
        blocks.append(
            _section("*What slipped*\nNothing: every task due this week was done on time.")
        )
    blocks.append(_context(_link(reverse("analytics:index"), "See your analytics")))
    text = (
        f"Your week {span}: score {score}, {len(review.moved)} goals moved, "
        f"{len(review.slipped)} slipped."
    )
    return {"text": text, "blocks": blocks}


def goal_completed(goal) -> Message:
    text = f":tada: Goal completed: *{escape(goal.title)}*"
    return {
        "text": f"Goal completed: {goal.title}",
        "blocks": [_section(text), _context(_link(goal.get_absolute_url(), "Open the goal"))],
    }


def goal_off_track(tracking: dict) -> Message:
    title = escape(tracking["title"])
    text = (
        f":chart_with_downwards_trend: *{title}* is falling behind: "
        f"{tracking['progress']}% done, {tracking['expected_progress']}% expected by today "
        f"(target {tracking['target_date']:%-d %b %Y})."
    )
    return {
        "text": f"{tracking['title']} is falling behind",
        "blocks": [
            _section(text),
            _context(_link(reverse("goals:detail", args=[tracking["id"]]), "Open the goal")),
        ],
    }


def task_reminder(tasks) -> Message:
    """The afternoon nudge: what is due today and still open."""
    titles = ", ".join(task.title for task in tasks)
    return {
        "text": f"Still open today: {titles}",
        "blocks": [_section(":bell: *Still open today*"), *(task_row(task) for task in tasks)],
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
        "Your Slack account is not connected to Bakhmach Business Hub yet. "
        f"Sign in at {_link(path, 'Settings → Slack')} and choose *Add to Slack*; then try again."
    )
