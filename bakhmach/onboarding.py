"""First run: an empty account can start from a template plan with goals and tasks.

A template is real content to edit, not a demo: a vision, two or three goals with a target and
a date, and the first few tasks of each, the first of them due today. `start_from_template`
writes it all through the apps' own services, in one transaction.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from goals import services as goal_services
from goals.models import Direction, Domain, Measure
from plans import services as plan_services
from plans.models import Plan
from tasks import services as task_services


@dataclass(frozen=True)
class GoalTemplate:
    title: Promise
    days: int  # the target date, this many days from today
    tasks: tuple[Promise, ...]
    unit: Promise | str = ""
    target: int | None = None  # a metric from 0 up to this; None: measured by its tasks


@dataclass(frozen=True)
class PlanTemplate:
    key: str
    name: Promise  # what the choice is called
    title: Promise  # the plan's title
    domain: str
    vision: Promise
    goals: tuple[GoalTemplate, ...] = field(default=())

    @property
    def days(self) -> int:
        return max(goal.days for goal in self.goals)


TEMPLATES = {
    template.key: template
    for template in [
        PlanTemplate(
            key="career",
            name=_("Career"),
            title=_("My next career step"),
            domain=Domain.CAREER,
            vision=_(
                "In a year I do work I am proud of, in a role that uses my strengths, and the "
                "people I want to work with know what I can do."
            ),
            goals=(
                GoalTemplate(
                    _("Build a portfolio of three projects"),
                    days=120,
                    unit=_("projects"),
                    target=3,
                    tasks=(
                        _("List the projects worth showing"),
                        _("Write up the first project: problem, what you did, result"),
                        _("Ask a colleague for feedback on the write-up"),
                    ),
                ),
                GoalTemplate(
                    _("Talk to ten people in the field"),
                    days=90,
                    unit=_("conversations"),
                    target=10,
                    tasks=(
                        _("Make a list of twenty people to contact"),
                        _("Send the first two messages"),
                        _("Bring your CV and profile up to date"),
                    ),
                ),
                GoalTemplate(
                    _("Learn one skill the next role needs"),
                    days=180,
                    tasks=(
                        _("Pick the skill and a course for it"),
                        _("Block two hours a week in your calendar"),
                        _("Finish the course's first module"),
                    ),
                ),
            ),
        ),
        PlanTemplate(
            key="health",
            name=_("Health"),
            title=_("Stronger and rested"),
            domain=Domain.HEALTH,
            vision=_(
                "I have the energy for what matters: I sleep well, move every day and feel "
                "strong in my body."
            ),
            goals=(
                GoalTemplate(
                    _("Run 5 km without stopping"),
                    days=84,
                    unit="km",
                    target=5,
                    tasks=(
                        _("Get running shoes that fit"),
                        _("First run: 20 minutes, walking breaks allowed"),
                        _("Put three runs for this week in your calendar"),
                    ),
                ),
                GoalTemplate(
                    _("Work out 36 times in 12 weeks"),
                    days=84,
                    unit=_("workouts"),
                    target=36,
                    tasks=(
                        _("Choose three days and a time for working out"),
                        _("Do the first 30-minute workout"),
                    ),
                ),
                GoalTemplate(
                    _("Sleep seven hours a night"),
                    days=30,
                    tasks=(
                        _("Set a fixed bedtime and an alarm for it"),
                        _("No screens in the last half hour before bed"),
                        _("Keep a sleep log for a week"),
                    ),
                ),
            ),
        ),
        PlanTemplate(
            key="finances",
            name=_("Finances"),
            title=_("Calm about money"),
            domain=Domain.FINANCE,
            vision=_(
                "Money is calm: I know where it goes, I have a cushion for surprises and I save "
                "for what I want."
            ),
            goals=(
                GoalTemplate(
                    _("Save an emergency fund of three months' expenses"),
                    days=180,
                    unit=_("months"),
                    target=3,
                    tasks=(
                        _("Work out what one month of expenses costs"),
                        _("Open a separate savings account"),
                        _("Set up an automatic transfer on payday"),
                    ),
                ),
                GoalTemplate(
                    _("Track every expense for three months"),
                    days=90,
                    tasks=(
                        _("Choose an app or a spreadsheet for expenses"),
                        _("Write down every expense this week"),
                        _("Review the first month's spending by category"),
                    ),
                ),
            ),
        ),
        PlanTemplate(
            key="learning",
            name=_("Learning"),
            title=_("Always learning"),
            domain=Domain.LEARNING,
            vision=_(
                "I keep learning: I read more, finish the courses I start and use what I learn "
                "at work and at home."
            ),
            goals=(
                GoalTemplate(
                    _("Read twelve books this year"),
                    days=365,
                    unit=_("books"),
                    target=12,
                    tasks=(
                        _("Choose the first three books"),
                        _("Read 20 pages today"),
                        _("Write a page of notes on the first book"),
                    ),
                ),
                GoalTemplate(
                    _("Finish an online course"),
                    days=90,
                    tasks=(
                        _("Pick a course and enrol"),
                        _("Put three study sessions a week in your calendar"),
                        _("Finish the first week of the course"),
                    ),
                ),
            ),
        ),
    ]
}


def _measure(goal: GoalTemplate) -> dict:
    """A metric from 0 up to the target; without a target, the goal's tasks measure it."""
    if goal.target is None:
        return {"measure": Measure.TASKS}
    return {
        "measure": Measure.METRIC,
        "unit": str(goal.unit),
        "direction": Direction.UP,
        "start_value": Decimal(0),
        "target_value": Decimal(goal.target),
    }


@dataclass(frozen=True)
class Step:
    key: str
    done: bool


FIRST_TASKS = 3


def first_steps(summary: dict) -> list[Step] | None:
    """The guided path of a new account from its dashboard summary, None once it is walked:
    a plan with a vision, a first goal, the first three tasks."""
    steps = [
        Step("vision", done=summary["plans"] > 0),
        Step("goal", done=summary["goals"]["total"] > 0),
        Step("tasks", done=summary["tasks"]["total"] >= FIRST_TASKS),
    ]
    return None if all(step.done for step in steps) else steps


@transaction.atomic
def start_from_template(*, user, key: str, today: datetime.date) -> Plan:
    """Create the template plan `key` for `user`: the plan, its goals and their tasks.

    Starting the same template twice (a double click) gives the plan made the first time.
    Raises KeyError for an unknown template.
    """
    template = TEMPLATES[key]
    existing = Plan.objects.owned_by(user).filter(data__template=key).first()
    if existing is not None:
        return existing
    plan = plan_services.create_plan(
        user=user,
        title=str(template.title),
        vision=str(template.vision),
        start_date=today,
        end_date=today + datetime.timedelta(days=template.days),
        data={"template": key},
    )
    for goal_template in template.goals:
        goal = goal_services.create_goal(
            user=user,
            plan=plan,
            title=str(goal_template.title),
            domain=template.domain,
            target_date=today + datetime.timedelta(days=goal_template.days),
            **_measure(goal_template),
        )
        for day, title in enumerate(goal_template.tasks):
            task_services.create_task(
                user=user,
                goal=goal,
                title=str(title),
                due_date=today + datetime.timedelta(days=day * 2),
            )
    return plan
