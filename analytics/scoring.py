"""The productivity score: how much of the work that mattered in a period was done, and done well.

The formula (also shown on the analytics page, see `FORMULA`):

    weight(task)  = 6 - priority             priority 1 (highest) = 5 points ... 5 (lowest) = 1
    earned        = sum of weight over tasks completed in the period on time
                  + half the weight of tasks completed in the period late
    possible      = sum of weight over all tasks completed in the period
                  + sum of weight over tasks overdue at the end of the period
    score         = round(100 * earned / possible)          0..100, or none when possible = 0

- "On time" means completed on or before the due date, in the user's time zone; a task without a
  due date is always on time. "Late" means completed after its due date.
- "Overdue at the end of the period" means a due date before the period's last day and still
  open at the end of that day: open work that should have been done pulls the score down until
  it is done (then it counts as a late completion, earning half).
- Because the score is a ratio of earned to possible points, a light week done well and a busy
  week done well both score 100: weeks (and days) are comparable whatever their volume. The
  number of completed tasks is shown next to the score for the volume.
- A period with nothing completed and nothing overdue has no score (`None`), not 0 or 100.

The daily series gives, for each day, the score of the seven days ending on that day: the
same window as the current score on the dashboard, so every point of the trend is on the scale
of a week (a single day's completions against the whole overdue backlog would always look
poor). Everything
here is pure arithmetic on the `ScoreParts` aggregated by the database (see `selectors`), plus
the database expression of a task's weight.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from django.db.models import ExpressionWrapper, F, IntegerField, Value
from django.utils.translation import gettext_lazy as _

# Points of a task, highest priority (1) weighing most.
MAX_PRIORITY_POINTS = 6
LATE_FACTOR = 0.5

FORMULA = _(
    "Each task is worth 6 - priority points (priority 1 = 5 points, priority 5 = 1 point). "
    "Tasks completed on or before their due date (or without one) earn all their points, tasks "
    "completed late earn half. The score is the earned points as a percentage of the points of "
    "all tasks completed in the period plus the points of the tasks still overdue at its end. "
    "A period with nothing done and nothing overdue has no score. Being a ratio, the score "
    "compares weeks of different sizes. The daily trend shows, for each day, the score of the "
    "seven days ending on it."
)


def priority_weight() -> ExpressionWrapper:
    """A task's points as a database expression, for `Sum(..., filter=...)`."""
    return ExpressionWrapper(
        Value(MAX_PRIORITY_POINTS) - F("priority"), output_field=IntegerField()
    )


@dataclass(frozen=True)
class ScoreParts:
    """What the score of one period is made of; counts and points come from the database."""

    completed_on_time: int = 0
    completed_late: int = 0
    on_time_points: int = 0
    late_points: int = 0
    overdue: int = 0
    overdue_points: int = 0

    @property
    def completed(self) -> int:
        return self.completed_on_time + self.completed_late

    @property
    def earned_points(self) -> float:
        return self.on_time_points + LATE_FACTOR * self.late_points

    @property
    def possible_points(self) -> int:
        return self.on_time_points + self.late_points + self.overdue_points

    @property
    def score(self) -> int | None:
        if not self.possible_points:
            return None
        return round(100 * self.earned_points / self.possible_points)

    @classmethod
    def over(cls, days: "Sequence[ScoreParts]") -> "ScoreParts":
        """The parts of several consecutive days as one period: the completions of all of
        them, and the work overdue at the end of the last."""
        return cls(
            completed_on_time=sum(day.completed_on_time for day in days),
            completed_late=sum(day.completed_late for day in days),
            on_time_points=sum(day.on_time_points for day in days),
            late_points=sum(day.late_points for day in days),
            overdue=days[-1].overdue if days else 0,
            overdue_points=days[-1].overdue_points if days else 0,
        )

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "completed": self.completed,
            "earned_points": self.earned_points,
            "possible_points": self.possible_points,
            "score": self.score,
        }
