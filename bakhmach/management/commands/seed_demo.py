"""Create a demo account with a realistic plan, to try the app or to load it for benchmarks.

manage.py seed_demo                 # demo@example.com / bakhmach-demo-2026 (kept if present)
manage.py seed_demo --reset         # delete the demo account and create it afresh
manage.py seed_demo --tasks 10000   # also add 10,000 generated tasks (bulk insert)
"""

import datetime
import random
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.calendar import UserCalendar
from accounts.models import User
from accounts.services import create_user
from goals import services as goal_services
from goals.models import Domain, Goal, Measure, Status
from lib.user_version import invalidate_user
from plans import services as plan_services
from plans.models import Plan
from tasks import services as task_services
from tasks.models import Task

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "bakhmach-demo-2026"  # noqa: S105 - documented demo credentials

D = Decimal

# Each goal of the demo plan, one of every way a goal measures itself. `history` is its
# check-ins as (days ago, value): a percentage (manual) or the metric's value; a key result
# has its own. Days ago 0 falls in the current week, so the dashboard is alive.
GOALS = [
    {
        "domain": Domain.CAREER,
        "title": "Lead the platform team's spring release",
        "target": 75,
        "measure": Measure.KEY_RESULTS,
        "key_results": [
            # (title, unit, direction, start, target, weight, history)
            (
                "Teams migrated to the new platform",
                "teams",
                "up",
                0,
                8,
                3,
                [(33, 1), (19, 3), (5, 5), (0, 6)],
            ),
            ("Migration guide written", "pages", "up", 0, 12, 1, [(26, 4), (12, 9), (1, 12)]),
            ("Open release blockers", "bugs", "down", 14, 0, 2, [(30, 11), (16, 7), (2, 3)]),
        ],
        "tasks": [
            "Write the release plan",
            "Agree the scope with product",
            "Set up the release branch",
            "Run the security review",
            "Draft the migration guide",
            "Rehearse the rollback",
            "Present the roadmap at the all-hands",
            "Hold the release retrospective",
        ],
        "private_tasks": ["Ask for the team-lead promotion"],
    },
    {
        "domain": Domain.HEALTH,
        "title": "Run a half marathon under 2 hours",
        "target": 120,
        "measure": Measure.METRIC,
        "metric": ("km", "up", 0, D("21.1")),
        "history": [(42, 5), (35, 7), (28, 10), (21, 12), (14, 15), (7, D("16.5")), (0, 18)],
        "evidence": "https://example.com/runs/longest",
        "tasks": [
            "Buy proper running shoes",
            "Run 5 km three times this week",
            "First 10 km run",
            "Book a physiotherapist check-up",
            "Register for the city half marathon",
            "Long run: 15 km",
            "Long run: 18 km",
            "Taper week plan",
        ],
    },
    {
        "domain": Domain.HEALTH,
        "title": "Get back to 78 kg",
        "target": 150,
        "measure": Measure.METRIC,
        "metric": ("kg", "down", 86, 78),
        "history": [(40, D("85.4")), (26, D("84.1")), (12, D("82.9")), (0, D("82.2"))],
        "tasks": ["Plan a week of meals", "Swap the afternoon snack", "Weekly weigh-in"],
    },
    {
        "domain": Domain.LEARNING,
        "title": "Finish the Django deep-dive course",
        "target": 30,
        "measure": Measure.TASKS,
        "tasks": [
            "Module 1: models and migrations",
            "Module 2: querysets in depth",
            "Module 3: the request cycle",
            "Module 4: testing",
            "Build the capstone project",
            "Write notes on query optimisation",
        ],
        "all_done": True,
    },
    {
        "domain": Domain.FINANCE,
        "title": "Build a six-month emergency fund",
        "target": 240,
        "measure": Measure.METRIC,
        "metric": ("€", "up", 0, 9000),
        "history": [(44, 500), (30, 1400), (16, 2300), (1, 3100)],
        "tasks": [
            "List monthly fixed costs",
            "Open a separate savings account",
            "Set up the automatic transfer",
            "Cancel unused subscriptions",
            "Review the budget for the quarter",
        ],
    },
    {
        "domain": Domain.RELATIONSHIPS,
        "title": "A weekly evening with family",
        "target": 90,
        "measure": Measure.MANUAL,
        "history": [(35, 10), (21, 25), (7, 40), (0, 45)],
        "tasks": [
            "Plan a weekend trip",
            "Cook dinner for the parents",
            "Call grandmother",
            "Board games night",
        ],
    },
]
NOTES = ["Good week.", "Slower than planned.", "Back on track.", "A small step.", ""]
# The plan's first review, this many days ago: a snapshot to compare with today.
REVIEW_DAYS_AGO = 21
LOOSE_TASKS = ["Renew the passport", "Back up the laptop", "Sort the photo archive"]
EXTRA_TITLES = ["Review", "Draft", "Plan", "Call", "Read", "Fix", "Prepare", "Follow up on"]
EXTRA_OBJECTS = ["the notes", "the budget", "the backlog", "the report", "the proposal", "email"]


class Command(BaseCommand):
    help = (
        f"Create the demo user {DEMO_EMAIL} (password {DEMO_PASSWORD}) with a realistic plan; "
        "with --tasks N also add N generated tasks for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo user and all its data first."
        )
        parser.add_argument(
            "--tasks", type=int, default=0, metavar="N", help="Add N generated tasks (bulk)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, reset, tasks, seed, **options):
        if tasks < 0:
            raise CommandError("--tasks must be zero or more.")
        rng = random.Random(seed)
        if reset:
            deleted, _ = User.objects.filter(email__iexact=DEMO_EMAIL).delete()
            if deleted:
                self.stdout.write("Deleted the previous demo user and its data.")
        user = User.objects.filter(email__iexact=DEMO_EMAIL).first()
        if user is None:
            user = create_user(email=DEMO_EMAIL, password=DEMO_PASSWORD, username="demo")
            self._seed_plan(user, rng)
            self.stdout.write(f"Created {DEMO_EMAIL} (password: {DEMO_PASSWORD}) with a demo plan.")
        else:
            self.stdout.write(f"{DEMO_EMAIL} already exists; its data is kept (--reset renews).")
        if tasks:
            started = timezone.now()
            self._add_generated_tasks(user, tasks, rng)
            seconds = (timezone.now() - started).total_seconds()
            self.stdout.write(f"Added {tasks} generated tasks in {seconds:.1f} s.")

    @transaction.atomic
    def _seed_plan(self, user, rng):
        """The plan, its goals and their tasks, then everything that happened to them (check-ins,
        completed tasks, a review) replayed in time order through the services."""
        now = timezone.now()
        today = UserCalendar.of(user).today
        plan = plan_services.create_plan(
            user=user,
            title="Growth plan 2026",
            description="What I want from this year, at work and outside it.",
            vision="Lead with calm, stay fit, keep learning and keep the people close.",
            start_date=today - datetime.timedelta(days=50),
            end_date=today + datetime.timedelta(days=300),
            data={"focus": ["leadership", "health"]},
        )
        # Creation times are backdated (services stamp "now"), so the history looks lived-in.
        Plan.objects.filter(pk=plan.pk).update(created_at=now - datetime.timedelta(days=50))
        events = [(now - datetime.timedelta(days=REVIEW_DAYS_AGO), self._review(plan))]
        for spec in GOALS:
            goal = self._goal(user, plan, spec, today)
            Goal.objects.filter(pk=goal.pk).update(created_at=now - datetime.timedelta(days=48))
            events += self._check_ins(goal, spec, rng, now)
            events += self._seed_tasks(user, goal, spec, rng, now, today)
        events += self._seed_tasks(user, None, {"tasks": LOOSE_TASKS}, rng, now, today)
        for when, happen in sorted(events, key=lambda event: event[0]):
            happen(when)
        on_hold = goal_services.create_goal(
            user=user, plan=plan, title="Learn to play the piano", domain=Domain.PERSONAL
        )
        goal_services.update_goal(goal=on_hold, status=Status.ON_HOLD)

    def _goal(self, user, plan, spec, today):
        fields = {}
        if "metric" in spec:
            unit, direction, start, target = spec["metric"]
            fields = {"unit": unit, "direction": direction, "start_value": D(start)}
            fields["target_value"] = D(target)
        goal = goal_services.create_goal(
            user=user,
            plan=plan,
            title=spec["title"],
            domain=spec["domain"],
            target_date=today + datetime.timedelta(days=spec["target"]),
            measure=spec["measure"],
            **fields,
        )
        for title, unit, direction, start, target, weight, _ in spec.get("key_results", []):
            goal_services.create_key_result(
                goal=goal,
                title=title,
                unit=unit,
                direction=direction,
                start_value=D(start),
                target_value=D(target),
                weight=weight,
            )
        return goal

    def _check_ins(self, goal, spec, rng, now):
        """The goal's check-ins as (when, action) events; the latest ones are minutes old."""

        def at(days_ago):
            return now - datetime.timedelta(days=days_ago, hours=3 if days_ago else 0, minutes=5)

        def check_in(**fields):
            note = rng.choice(NOTES)
            return lambda when: goal_services.check_in(goal=goal, note=note, now=when, **fields)

        events = []
        for days_ago, value in spec.get("history", []):
            if goal.measure == Measure.MANUAL:
                events.append((at(days_ago), check_in(progress=value)))
            else:
                evidence = spec.get("evidence", "") if days_ago == 0 else ""
                events.append((at(days_ago), check_in(value=D(value), evidence_url=evidence)))
        results = {result.title: result for result in goal.key_results.all()}
        for title, *_, history in spec.get("key_results", []):
            for days_ago, value in history:
                events.append((at(days_ago), check_in(key_result=results[title], value=D(value))))
        return events

    def _review(self, plan):
        def review(when):
            plan_services.create_review(
                plan=plan,
                went_well="Kept the running streak and shipped the migration guide draft.",
                went_badly="Savings fell behind: two big unplanned expenses.",
                next="Automate the savings transfer; one long run every weekend.",
                now=when,
            )

        return review

    def _seed_tasks(self, user, goal, spec, rng, now, today):
        """Create the tasks now; return their completions as (when, action) events.

        Roughly: the first third done on past days (the last of them this week), then some
        overdue, the rest upcoming; a goal with `all_done` has every task done by today.
        """
        titles = spec["tasks"]
        events = []
        for index, title in enumerate(titles):
            share = index / len(titles)
            done_at = None
            if spec.get("all_done"):
                days_ago = (len(titles) - 1 - index) * 7
                due = today - datetime.timedelta(days=days_ago - 2)
                done_at = now - datetime.timedelta(days=days_ago, minutes=30)
            elif share < 0.4:
                due = today - datetime.timedelta(days=rng.randint(3, 40))
                done_at = now - datetime.timedelta(days=max((today - due).days, 1), hours=2)
            elif share < 0.6:
                due = today - datetime.timedelta(days=rng.randint(1, 6))
            else:
                due = today + datetime.timedelta(days=rng.randint(0, 45))
            task = task_services.create_task(
                user=user, goal=goal, title=title, priority=rng.randint(1, 5), due_date=due
            )
            created = now - datetime.timedelta(days=max((today - due).days, 0) + rng.randint(2, 9))
            if done_at is not None:
                created = min(created, done_at - datetime.timedelta(days=1))
            Task.objects.filter(pk=task.pk).update(created_at=created)
            if done_at is not None:
                events.append((done_at, self._completion(task)))
        if goal is not None and not spec.get("all_done"):
            # Something done this week, so the dashboard's week is not empty.
            task = task_services.create_task(
                user=user, goal=goal, title=f"Weekly step: {goal.title.lower()}", due_date=today
            )
            events.append((now - datetime.timedelta(minutes=20), self._completion(task)))
        for title in spec.get("private_tasks", []):
            task_services.create_task(user=user, goal=goal, title=title, private=True)
        return events

    @staticmethod
    def _completion(task):
        return lambda when: task_services.complete_task(task=task, now=when)

    def _add_generated_tasks(self, user, count, rng, batch_size=2000):
        goal_ids = [None, *Goal.objects.owned_by(user).values_list("pk", flat=True)]
        now = timezone.now()
        today = UserCalendar.of(user).today
        rows = []
        for _ in range(count):
            due = today + datetime.timedelta(days=rng.randint(-60, 60))
            created = now - datetime.timedelta(minutes=rng.randint(60, 90 * 24 * 60))
            completed = None
            if due < today and rng.random() < 0.6:
                completed = max(created, now - datetime.timedelta(days=(today - due).days))
            rows.append(
                Task(
                    user=user,
                    goal_id=rng.choice(goal_ids),
                    title=f"{rng.choice(EXTRA_TITLES)} {rng.choice(EXTRA_OBJECTS)}",
                    description="Generated by seed_demo --tasks.",
                    priority=rng.randint(1, 5),
                    due_date=due if rng.random() < 0.9 else None,
                    completed_at=completed,
                    created_at=created,
                )
            )
        Task.objects.bulk_create(rows, batch_size=batch_size)
        # The bulk insert skips the task services, so it drops the cached figures itself.
        invalidate_user(user.pk)
