"""Server-rendered SVG charts: pure functions from data to safe SVG markup.

Used by the analytics page, the goal detail page and the PDF reports, so they follow rules
that hold in all three places:

- Accessible: `role="img"`, a `<title>` and a `<desc>` (what the chart shows, in words)
  referenced by `aria-labelledby`. Pages should still show the numbers as a table too.
- No `style=` attributes (the Content Security Policy forbids inline styles): colours are SVG
  presentation attributes, which a stylesheet may override through the `chart-*` classes.
- Prints and renders in WeasyPrint: the series colours are fixed hex values (no CSS variables),
  text and axes use `currentColor`, and series also differ by dash pattern and marker shape
  so they stay apart in black and white.

Every piece of text is escaped (`format_html`), so titles typed by users are safe.
"""

import datetime
import hashlib
import math
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WIDTH = 640
HEIGHT = 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 16, 16, 40
FONT_SIZE = 12

# Colours readable on light and dark backgrounds and on paper; dashes tell series apart in print.
PALETTE = ["#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626"]
DASHES = ["", "6 3", "2 3", "8 3 2 3"]
GRID_COLOUR = "#9ca3af"
EXPECTED_COLOUR = "#6b7280"

type DateLike = datetime.date | datetime.datetime
type Point = tuple[DateLike, float | None]


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _chart_id(kind: str, *parts) -> str:
    """A deterministic id, distinct per chart content, for `aria-labelledby` references."""
    digest = hashlib.blake2s(repr((kind, parts)).encode(), digest_size=5).hexdigest()
    return f"chart-{kind}-{digest}"


def _day_label(day: DateLike, *, with_year: bool = False) -> str:
    """A day as the reader's language writes it ("Dec 1", "1 грудня"); the axis ends carry
    the year, so that a line running into 2028 does not pass for this year's."""
    return date_format(day, "DATE_FORMAT" if with_year else "MONTH_DAY_FORMAT")


def _x_value(moment: DateLike) -> float:
    """Days since year 1 as a float, so dates and datetimes share one axis."""
    if isinstance(moment, datetime.datetime):
        midnight = datetime.datetime.combine(moment.date(), datetime.time(), moment.tzinfo)
        return moment.toordinal() + (moment - midnight).total_seconds() / 86400
    return float(moment.toordinal())


def _axis_top(value: float) -> int:
    """The top of a count axis: four equal whole steps of 1, 2, 2.5 or 5 times a power of ten,
    the smallest that reaches `value` (so 1 -> 4, 5 -> 8, 17 -> 20, 94 -> 100)."""
    needed = max(1, math.ceil(value / 4))
    magnitude = 10 ** math.floor(math.log10(needed))
    for multiple in (1, 2, 2.5, 5, 10):
        step = multiple * magnitude
        if step >= needed and step == int(step):
            return int(step) * 4
    return 40 * magnitude


def _frame(
    chart_id: str,
    title: str,
    desc: str,
    body: SafeString,
    *,
    kind: str,
    height: int = HEIGHT,
    width: int = WIDTH,
) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" preserveAspectRatio="xMidYMid meet" '
        'role="img" aria-labelledby="{id}-title {id}-desc" font-size="{fs}" '
        'font-family="system-ui, sans-serif" fill="currentColor">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        kind=kind,
        w=width,
        h=height,
        fs=FONT_SIZE,
        id=chart_id,
        title=title,
        desc=desc,
        body=body,
    )


def _y_axis(y_max: float, unit: str) -> SafeString:
    """Horizontal grid lines with labels at 0, ¼, ½, ¾ and the top of the scale."""
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    lines = []
    for step in range(5):
        value = y_max * step / 4
        y = MARGIN_TOP + plot_height * (1 - step / 4)
        lines.append(
            format_html(
                '<line class="chart-grid" x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="{c}" '
                'stroke-opacity="0.5" stroke-width="1"/>'
                '<text class="chart-label" x="{tx}" y="{ty}" text-anchor="end">{label}</text>',
                x1=MARGIN_LEFT,
                x2=WIDTH - MARGIN_RIGHT,
                y=_num(y),
                c=GRID_COLOUR,
                tx=MARGIN_LEFT - 6,
                ty=_num(y + 4),
                label=f"{_num(value)}{unit}",
            )
        )
    return mark_safe("".join(lines))  # noqa: S308 - each piece is format_html output


def _x_label(x: float, text: str, anchor: str = "middle") -> SafeString:
    return format_html(
        '<text class="chart-label" x="{x}" y="{y}" text-anchor="{anchor}">{text}</text>',
        x=_num(x),
        y=HEIGHT - MARGIN_BOTTOM + 18,
        anchor=anchor,
        text=text,
    )


def _empty(chart_id: str, title: str, kind: str) -> SafeString:
    body = format_html(
        '<text class="chart-empty" x="{x}" y="{y}" text-anchor="middle">{text}</text>',
        x=WIDTH // 2,
        y=HEIGHT // 2,
        text=_("No data yet"),
    )
    return _frame(chart_id, title, _("No data yet."), body, kind=kind)


def line_chart(
    series: Sequence[tuple[str, Sequence[Point]]],
    *,
    title: str,
    desc: str,
    y_max: float | None = None,
    unit: str = "",
    expected: tuple[DateLike, DateLike] | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """Lines over time. `series` is `[(label, [(date or datetime, value or None), ...]), ...]`.

    A `None` value breaks the line (a day without data). `expected=(start, end)` draws a dashed
    grey line from 0 at `start` to `y_max` at `end` (the "on track" path of a goal).
    """
    chart_id = chart_id or _chart_id("line", title, series, expected)
    points = [(x, y) for _label, values in series for x, y in values if y is not None]
    if not points:
        return _empty(chart_id, title, "line")
    xs = [_x_value(x) for x, _y in points]
    if expected:
        xs += [_x_value(expected[0]), _x_value(expected[1])]
    x_min, x_max = min(xs), max(xs)
    if x_max == x_min:
        x_min, x_max = x_min - 1, x_max + 1
    top = y_max if y_max is not None else _axis_top(max(y for _x, y in points))
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

    def px(moment: DateLike) -> float:
        return MARGIN_LEFT + plot_w * (_x_value(moment) - x_min) / (x_max - x_min)

    def py(value: float) -> float:
        return MARGIN_TOP + plot_h * (1 - min(value, top) / top)

    parts = [_y_axis(top, unit)]
    if expected:
        parts.append(
            format_html(
                '<line class="chart-expected" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
                'stroke="{c}" stroke-width="1.5" stroke-dasharray="4 4"/>',
                x1=_num(px(expected[0])),
                y1=_num(py(0)),
                x2=_num(px(expected[1])),
                y2=_num(py(top)),
                c=EXPECTED_COLOUR,
            )
        )
    legend = []
    for index, (label, values) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        dash = DASHES[index % len(DASHES)]
        commands, pen_down = [], False
        for moment, value in sorted(values, key=lambda point: _x_value(point[0])):
            if value is None:
                pen_down = False
                continue
            commands.append(f"{'L' if pen_down else 'M'}{_num(px(moment))} {_num(py(value))}")
            pen_down = True
            parts.append(
                format_html(
                    '<circle class="chart-point" cx="{x}" cy="{y}" r="3" fill="{c}">'
                    "<title>{label}: {value}{unit} ({day})</title></circle>",
                    x=_num(px(moment)),
                    y=_num(py(value)),
                    c=colour,
                    label=label,
                    value=_num(value),
                    unit=unit,
                    day=_day_label(moment),
                )
            )
        if commands:
            parts.append(
                format_html(
                    '<path class="chart-line" d="{d}" fill="none" stroke="{c}" '
                    'stroke-width="2" stroke-dasharray="{dash}"/>',
                    d=" ".join(commands),
                    c=colour,
                    dash=dash or "none",
                )
            )
        if len(series) > 1:
            legend.append((label, colour, dash))
    first = min((x for x, _y in points), key=_x_value)
    last = max((x for x, _y in points), key=_x_value)
    if expected:
        first = min(first, expected[0], key=_x_value)
        last = max(last, expected[1], key=_x_value)
    first_label, last_label = (_day_label(day, with_year=True) for day in (first, last))
    parts.append(_x_label(MARGIN_LEFT, first_label, "start"))
    if first_label != last_label:
        parts.append(_x_label(WIDTH - MARGIN_RIGHT, last_label, "end"))
    parts.append(_legend(legend))
    body = mark_safe("".join(parts))  # noqa: S308 - each piece is format_html output
    return _frame(
        chart_id, title, desc, body, kind="line", height=HEIGHT + _legend_height(len(legend))
    )


LEGEND_COLUMNS = 2
LEGEND_ROW = 18
LEGEND_LABEL_CHARS = 40


def _legend_height(entries: int) -> int:
    return math.ceil(entries / LEGEND_COLUMNS) * LEGEND_ROW


def _legend(entries: list[tuple[str, str, str]]) -> SafeString:
    """Swatch (colour and dash) and label per series, two a row, below the x axis labels."""
    column = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / LEGEND_COLUMNS

    def rows():
        for index, (label, colour, dash) in enumerate(entries):
            x = MARGIN_LEFT + column * (index % LEGEND_COLUMNS)
            y = HEIGHT + LEGEND_ROW * (index // LEGEND_COLUMNS)
            short = (
                label if len(label) <= LEGEND_LABEL_CHARS else label[: LEGEND_LABEL_CHARS - 1] + "…"
            )
            yield (
                _num(x),
                y - 4,
                _num(x + 16),
                y - 4,
                colour,
                dash or "none",
                _num(x + 20),
                y,
                short,
            )

    return format_html_join(
        "",
        '<g class="chart-legend"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" '
        'stroke-width="2" stroke-dasharray="{}"/><text x="{}" y="{}">{}</text></g>',
        rows(),
    )


def bar_chart(
    bars: Sequence[tuple[str, float]],
    *,
    title: str,
    desc: str,
    unit: str = "",
    y_max: float | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """Vertical bars, one per `(label, value)`. With many bars only some labels are drawn."""
    chart_id = chart_id or _chart_id("bar", title, bars)
    if not bars:
        return _empty(chart_id, title, "bar")
    top = y_max if y_max is not None else _axis_top(max(value for _label, value in bars))
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_w / len(bars)
    bar_w = max(slot * 0.7, 1)
    label_every = math.ceil(len(bars) / 10)
    parts = [_y_axis(top, unit)]
    for index, (label, value) in enumerate(bars):
        height = plot_h * min(value, top) / top
        x = MARGIN_LEFT + slot * index + (slot - bar_w) / 2
        parts.append(
            format_html(
                '<rect class="chart-bar" x="{x}" y="{y}" width="{w}" height="{h}" fill="{c}">'
                "<title>{label}: {value}{unit}</title></rect>",
                x=_num(x),
                y=_num(MARGIN_TOP + plot_h - height),
                w=_num(bar_w),
                h=_num(height),
                c=PALETTE[0],
                label=label,
                value=_num(value),
                unit=unit,
            )
        )
        if len(bars) <= 12 and value:
            parts.append(
                format_html(
                    '<text class="chart-value" x="{x}" y="{y}" text-anchor="middle">{v}</text>',
                    x=_num(x + bar_w / 2),
                    y=_num(MARGIN_TOP + plot_h - height - 4),
                    v=_num(value),
                )
            )
        if index % label_every == 0:
            parts.append(_x_label(x + bar_w / 2, label))
    body = mark_safe("".join(parts))  # noqa: S308 - each piece is format_html output
    return _frame(chart_id, title, desc, body, kind="bar")


# --- The charts of the product ---------------------------------------------------------------


def progress_chart(
    series: Sequence[tuple[str, Sequence[tuple[DateLike, int]]]],
    *,
    title: str | None = None,
    expected: tuple[DateLike, DateLike] | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """Goal progress (0-100 %) over time, one line per goal: `[(goal title, [(when, %)])]`.

    For one goal's page pass `expected=(start date, target date)` to draw the on-track path.
    """
    title = title or _("Progress over time")
    latest = [
        (label, max(values, key=lambda point: _x_value(point[0])))
        for label, values in series
        if values
    ]
    described = [
        _("%(goal)s: %(value)s%% on %(day)s")
        % {"goal": label, "value": value, "day": _day_label(moment)}
        for label, (moment, value) in latest
    ]
    desc = (
        _("Progress logged for %(count)s goal(s). Latest: %(latest)s.")
        % {"count": len(described), "latest": "; ".join(described)}
        if described
        else _("No progress logged yet.")
    )
    if expected:
        desc += " " + _("The dashed line is the steady path from %(start)s to %(end)s.") % {
            "start": _day_label(expected[0]),
            "end": _day_label(expected[1]),
        }
    return line_chart(
        series, title=title, desc=desc, y_max=100, unit="%", expected=expected, chart_id=chart_id
    )


def completions_chart(
    days: Sequence[tuple[datetime.date, int]],
    *,
    title: str | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """Tasks completed per day: `[(date, count), ...]` in date order."""
    title = title or _("Tasks completed per day")
    total = sum(count for _day, count in days)
    best = max(days, key=lambda item: item[1], default=None)
    desc = ngettext(
        "%(total)s task completed in %(days)s days.",
        "%(total)s tasks completed in %(days)s days.",
        total,
    ) % {"total": total, "days": len(days)}
    if best and best[1]:
        desc += " " + _("Most on %(day)s: %(count)s.") % {
            "day": _day_label(best[0]),
            "count": best[1],
        }
    bars = [(_day_label(day), count) for day, count in days]
    return bar_chart(bars, title=title, desc=desc, chart_id=chart_id)


def score_chart(
    days: Sequence[tuple[datetime.date, float | None]],
    *,
    title: str | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """The productivity score day by day (0-100; `None` where nothing was due or done)."""
    title = title or _("Productivity score, day by day")
    scored = [(day, score) for day, score in days if score is not None]
    if scored:
        mean = sum(score for _day, score in scored) / len(scored)
        desc = _(
            "Score on %(scored)s of %(days)s days, from %(low)s to %(high)s, average %(mean)s."
        ) % {
            "scored": len(scored),
            "days": len(days),
            "low": _num(min(score for _day, score in scored)),
            "high": _num(max(score for _day, score in scored)),
            "mean": _num(mean),
        }
    else:
        desc = _("No scored days in this period.")
    return line_chart(
        [(_("Score"), list(days))], title=title, desc=desc, y_max=100, chart_id=chart_id
    )


def domain_chart(
    counts: Sequence[tuple[str, int]],
    *,
    title: str | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """Goals per life domain: `[(domain label, count), ...]`."""
    title = title or _("Goals by domain")
    desc = (
        "; ".join(f"{label}: {count}" for label, count in counts)
        if any(count for _label, count in counts)
        else _("No goals yet.")
    )
    return bar_chart(list(counts), title=title, desc=desc, chart_id=chart_id)


WHEEL_WIDTH, WHEEL_HEIGHT = 560, 380
WHEEL_RADIUS = 125
WHEEL_CENTRE = (WHEEL_WIDTH / 2, 170)
PROGRESS_COLOUR, EFFORT_COLOUR = PALETTE[0], PALETTE[1]


def _wheel_point(index: int, count: int, share: float) -> tuple[float, float]:
    """The point at `share` (0-1) of the radius on spoke `index` of `count`, from the top."""
    angle = 2 * math.pi * index / count - math.pi / 2
    cx, cy = WHEEL_CENTRE
    return cx + WHEEL_RADIUS * share * math.cos(angle), cy + WHEEL_RADIUS * share * math.sin(angle)


def _polygon(shares: Sequence[float], **attributes) -> SafeString:
    points = " ".join(
        f"{_num(x)},{_num(y)}"
        for x, y in (_wheel_point(i, len(shares), share) for i, share in enumerate(shares))
    )
    return format_html(
        '<polygon class="{cls}" points="{points}" fill="{colour}" fill-opacity="0.18" '
        'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>',
        points=points,
        **attributes,
    )


def balance_wheel(
    rows: Sequence[tuple[str, int | None, int]],
    *,
    title: str | None = None,
    chart_id: str | None = None,
) -> SafeString:
    """A balance wheel: one spoke per life domain, `rows` = `[(label, progress 0-100 or None
    without goals, effort)]`. The solid shape is progress; the dashed one is effort (tasks
    completed and check-ins), scaled to the busiest domain."""
    title = title or _("Life balance")
    chart_id = chart_id or _chart_id("wheel", tuple(rows))
    if not rows:
        return _empty(chart_id, title, "wheel")
    top_effort = max((effort for _label, _progress, effort in rows), default=0) or 1
    desc = "; ".join(
        f"{label}: "
        + (_("no goals") if progress is None else _("%(p)s%% progress") % {"p": progress})
        + ", "
        + ngettext("%(n)s action", "%(n)s actions", effort) % {"n": effort}
        for label, progress, effort in rows
    )
    count = len(rows)
    rings = format_html_join(
        "",
        '<circle class="chart-grid" cx="{cx}" cy="{cy}" r="{r}" fill="none" stroke="{g}" '
        'stroke-opacity="0.5"/>',
        (
            {
                "cx": _num(WHEEL_CENTRE[0]),
                "cy": _num(WHEEL_CENTRE[1]),
                "r": _num(WHEEL_RADIUS * step / 4),
                "g": GRID_COLOUR,
            }
            for step in range(1, 5)
        ),
    )
    spokes = []
    for index, (label, progress, _effort) in enumerate(rows):
        x, y = _wheel_point(index, count, 1)
        lx, ly = _wheel_point(index, count, 1.14)
        cx, cy = WHEEL_CENTRE
        anchor = "middle" if abs(lx - cx) < 8 else "start" if lx > cx else "end"
        spokes.append(
            format_html(
                '<line class="chart-grid" x1="{cx}" y1="{cy}" x2="{x}" y2="{y}" stroke="{g}" '
                'stroke-opacity="0.5"/>'
                '<text class="chart-label" x="{lx}" y="{ly}" text-anchor="{anchor}" '
                'dominant-baseline="middle">{label} {value}</text>',
                cx=_num(cx),
                cy=_num(cy),
                x=_num(x),
                y=_num(y),
                g=GRID_COLOUR,
                lx=_num(lx),
                ly=_num(ly),
                anchor=anchor,
                label=label,
                value="—" if progress is None else f"{progress}%",
            )
        )
    progress_shape = _polygon(
        [(progress or 0) / 100 for _label, progress, _effort in rows],
        cls="chart-series-0",
        colour=PROGRESS_COLOUR,
        dash="",
    )
    effort_shape = _polygon(
        [effort / top_effort for _label, _progress, effort in rows],
        cls="chart-series-1",
        colour=EFFORT_COLOUR,
        dash=DASHES[1],
    )
    legend = format_html(
        '<g class="chart-legend" transform="translate(8 {y})">'
        '<line x1="0" y1="0" x2="18" y2="0" stroke="{pc}" stroke-width="2"/>'
        '<text x="24" y="4">{progress}</text>'
        '<line x1="0" y1="16" x2="18" y2="16" stroke="{ec}" stroke-width="2" '
        'stroke-dasharray="{dash}"/><text x="24" y="20">{effort}</text></g>',
        y=WHEEL_HEIGHT - 30,
        pc=PROGRESS_COLOUR,
        ec=EFFORT_COLOUR,
        dash=DASHES[1],
        progress=_("Progress"),
        effort=_("Effort (tasks done, check-ins)"),
    )
    body = rings + mark_safe("".join(spokes)) + progress_shape + effort_shape + legend  # noqa: S308
    return _frame(chart_id, title, desc, body, kind="wheel", width=WHEEL_WIDTH, height=WHEEL_HEIGHT)
