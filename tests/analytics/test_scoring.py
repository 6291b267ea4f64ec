"""The parts of the productivity score formula, one at a time (pure arithmetic)."""

import pytest

from analytics.scoring import ScoreParts


def test_nothing_done_and_nothing_overdue_has_no_score():
    assert ScoreParts().score is None
    assert ScoreParts().as_dict()["score"] is None


def test_everything_on_time_scores_100_whatever_the_volume():
    light_week = ScoreParts(completed_on_time=1, on_time_points=1)
    busy_week = ScoreParts(completed_on_time=30, on_time_points=120)
    assert light_week.score == busy_week.score == 100


def test_late_completions_earn_half_their_points():
    parts = ScoreParts(completed_late=2, late_points=6)
    assert parts.earned_points == 3
    assert parts.possible_points == 6
    assert parts.score == 50


def test_overdue_work_adds_to_the_possible_points_only():
    parts = ScoreParts(completed_on_time=1, on_time_points=5, overdue=1, overdue_points=5)
    assert parts.earned_points == 5
    assert parts.possible_points == 10
    assert parts.score == 50


def test_only_overdue_work_scores_zero():
    assert ScoreParts(overdue=3, overdue_points=9).score == 0


@pytest.mark.parametrize(
    ("parts", "score"),
    [
        # 5 + 1.5 earned of 5 + 3 + 4 possible = 54.17
        (ScoreParts(1, 1, 5, 3, 1, 4), 54),
        # 2 earned of 3 possible = 66.67
        (ScoreParts(completed_on_time=1, on_time_points=2, overdue=1, overdue_points=1), 67),
    ],
)
def test_score_rounds_to_a_whole_number(parts, score):
    assert parts.score == score


def test_as_dict_shows_every_part():
    parts = ScoreParts(
        completed_on_time=1,
        completed_late=1,
        on_time_points=5,
        late_points=3,
        overdue=1,
        overdue_points=4,
    )
    assert parts.as_dict() == {
        "completed_on_time": 1,
        "completed_late": 1,
        "completed": 2,
        "on_time_points": 5,
        "late_points": 3,
        "earned_points": 6.5,
        "overdue": 1,
        "overdue_points": 4,
        "possible_points": 12,
        "score": 54,
    }
