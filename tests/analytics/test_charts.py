"""The SVG charts: accessible, escaped, free of inline styles, honest about empty data."""

import datetime
from xml.etree import ElementTree

import pytest

from lib import charts

from .clock import at, on

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup):
    return ElementTree.fromstring(str(markup))  # noqa: S314 - our own markup


@pytest.fixture
def every_chart():
    return [
        charts.progress_chart(
            [("Run", [(at(1), 10), (at(5), 40)]), ("Read", [(at(3), 5)])],
            expected=(on(1), on(31)),
        ),
        charts.completions_chart([(on(day), day % 3) for day in range(1, 12)]),
        charts.score_chart([(on(9), None), (on(10), 31), (on(11), 17)]),
        charts.domain_chart([("Career", 2), ("Health", 0)]),
    ]


def test_charts_are_accessible_images(every_chart):
    for chart in every_chart:
        svg = _parse(chart)
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find(f"{SVG}title").get("id") == title_id
        assert svg.find(f"{SVG}desc").get("id") == desc_id
        assert svg.find(f"{SVG}desc").text


def test_charts_have_no_inline_styles_or_css_variables(every_chart):
    for chart in every_chart:
        assert "style=" not in chart
        assert "var(" not in chart


def test_chart_ids_differ_between_charts_and_repeat_for_the_same_data(every_chart):
    ids = [_parse(chart).find(f"{SVG}title").get("id") for chart in every_chart]
    assert len(set(ids)) == len(ids)
    again = charts.domain_chart([("Career", 2), ("Health", 0)])
    assert _parse(again).find(f"{SVG}title").get("id") == ids[3]


def test_text_is_escaped():
    chart = charts.progress_chart([('<script>alert("x")</script>', [(at(1), 10), (at(2), 20)])])

    assert "<script>" not in chart
    assert _parse(chart).find(f"{SVG}desc").text.startswith("Progress logged for 1 goal")


def test_descriptions_state_the_numbers():
    desc = _parse(charts.completions_chart([(on(9), 2), (on(10), 5), (on(11), 0)]))
    assert desc.find(f"{SVG}desc").text == "7 tasks completed in 3 days. Most on Mar 10: 5."

    score = _parse(charts.score_chart([(on(9), None), (on(10), 40), (on(11), 60)]))
    assert score.find(f"{SVG}desc").text == ("Score on 2 of 3 days, from 40 to 60, average 50.")

    progress = _parse(charts.progress_chart([("Run", [(at(5), 40), (at(1), 10)])]))
    assert progress.find(f"{SVG}desc").text == (
        "Progress logged for 1 goal(s). Latest: Run: 40% on Mar 5."
    )


@pytest.mark.parametrize(
    "chart",
    [
        charts.progress_chart([]),
        charts.completions_chart([]),
        charts.score_chart([(on(9), None)]),
        charts.domain_chart([]),
    ],
)
def test_empty_charts_say_so(chart):
    svg = _parse(chart)
    assert svg.find(f"{SVG}desc").text == "No data yet."
    assert svg.find(f"{SVG}text").text == "No data yet"


def test_a_missing_value_breaks_the_line():
    chart = charts.score_chart([(on(8), 50), (on(9), None), (on(10), 40), (on(11), 60)])

    (line,) = _parse(chart).iter(f"{SVG}path")
    assert line.get("d").count("M") == 2  # two runs: the 8th alone, then the 10th to the 11th


def test_one_line_per_goal_and_the_expected_path():
    chart = charts.progress_chart(
        [("Run", [(at(1), 10), (at(5), 40)]), ("Read", [(at(3), 5), (at(4), 7)])],
        expected=(on(1), on(31)),
    )
    svg = _parse(chart)

    assert len(list(svg.iter(f"{SVG}path"))) == 2
    assert len(list(svg.iter(f"{SVG}circle"))) == 4
    (expected,) = [line for line in svg.iter(f"{SVG}line") if line.get("class") == "chart-expected"]
    assert expected.get("stroke-dasharray")
    # Series differ by dash pattern too, so they stay apart in black and white.
    dashes = {path.get("stroke-dasharray") for path in svg.iter(f"{SVG}path")}
    assert len(dashes) == 2


def test_bars_scale_to_the_largest_value():
    svg = _parse(charts.domain_chart([("Career", 4), ("Health", 2)]))

    heights = [float(bar.get("height")) for bar in svg.iter(f"{SVG}rect")]
    assert heights[0] == pytest.approx(2 * heights[1])


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [
        (1, ["0", "1", "2", "3", "4"]),
        (5, ["0", "2", "4", "6", "8"]),
        (17, ["0", "5", "10", "15", "20"]),
        (94, ["0", "25", "50", "75", "100"]),
    ],
)
def test_count_axes_have_whole_ticks(largest, ticks):
    svg = _parse(charts.completions_chart([(on(9), largest)]))

    labels = [text.text for text in svg.iter(f"{SVG}text") if text.get("text-anchor") == "end"]
    assert labels == ticks


def test_datetimes_and_dates_share_the_axis():
    chart = charts.progress_chart(
        [("Run", [(datetime.datetime(2026, 3, 1, 18, tzinfo=datetime.UTC), 10)])],
        expected=(on(1), on(2)),
    )
    (point,) = _parse(chart).iter(f"{SVG}circle")
    # 18:00 is three quarters of the way across a one-day axis (44 to 624).
    assert float(point.get("cx")) == pytest.approx(44 + 0.75 * 580, abs=0.1)
