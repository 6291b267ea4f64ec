"""Create a demo account with a realistic plan, to try the app or to load it for benchmarks.

manage.py seed_demo                 # demo@example.com / bakhmach-demo-2026 (kept if present)
manage.py seed_demo --reset         # delete the demo account and create it afresh
manage.py seed_demo --tasks 10000   # also add 10,000 generated tasks (bulk insert)
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.calendar import UserCalendar
from accounts.models import User
from accounts.services import create_user
from goals import services as goal_services
from goals.models import Domain, Goal, Status
from lib.user_version import invalidate_user
from plans import services as plan_services
from plans.models import Plan
from tasks import services as task_services
from tasks.models import Task

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "bakhmach-demo-2026"  # noqa: S105 - documented demo credentials

# (domain, title, target in days from today, progress history as (days ago, value), tasks)
GOALS = [
    (
        Domain.CAREER,
        "Lead the platform team's spring release",
        75,
        [(40, 10), (33, 20), (26, 30), (19, 35), (12, 45), (5, 55)],
        [
            "Write the release plan",
            "Agree the scope with product",
            "Set up the release branch",
            "Run the security review",
            "Draft the migration guide",
            "Rehearse the rollback",
            "Present the roadmap at the all-hands",
            "Hold the release retrospective",
        ],
    ),
    (
        Domain.HEALTH,
        "Run a half marathon under 2 hours",
        120,
        [(42, 5), (35, 15), (28, 25), (21, 30), (14, 40), (7, 50), (2, 55)],
        [
            "Buy proper running shoes",
            "Run 5 km three times this week",
            "First 10 km run",
            "Book a physiotherapist check-up",
            "Register for the city half marathon",
            "Long run: 15 km",
            "Long run: 18 km",
            "Taper week plan",
        ],
    ),
    (
        Domain.LEARNING,
        "Finish the Django deep-dive course",
        30,
        [(45, 20), (38, 40), (31, 55), (24, 70), (17, 85), (10, 100)],
        [
            "Module 1: models and migrations",
            "Module 2: querysets in depth",
            "Module 3: the request cycle",
            "Module 4: testing",
            "Build the capstone project",
            "Write notes on query optimisation",
        ],
    ),
    (
        Domain.FINANCE,
        "Build a six-month emergency fund",
        240,
        [(44, 5), (30, 12), (16, 20), (2, 27)],
        [
            "List monthly fixed costs",
            "Open a separate savings account",
            "Set up the automatic transfer",
            "Cancel unused subscriptions",
            "Review the budget for the quarter",
        ],
    ),
    (
        Domain.RELATIONSHIPS,
        "A weekly evening with family",
        90,
        [(35, 10), (21, 25), (7, 40)],
        [
            "Plan a weekend trip",
            "Cook dinner for the parents",
            "Call grandmother",
            "Board games night",
        ],
    ),
]
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
        now = timezone.now()
        today = UserCalendar.of(user).today
        plan = plan_services.create_plan(
            user=user,
            title="Growth plan 2026",
            description="What I want from this year, at work and outside it.",
            vision="Lead with calm, stay fit, keep learning and keep the people close.",
            start_date=today - datetime.timedelta(days=50),
            end_date=today + datetime.timedelta(days=300),
            data={"focus": ["leadership", "health"], "review": "monthly"},
        )
        # Creation times are backdated (services stamp "now"), so the history looks lived-in.
        Plan.objects.filter(pk=plan.pk).update(created_at=now - datetime.timedelta(days=50))
        for domain, title, target_days, history, task_titles in GOALS:
            goal = goal_services.create_goal(
                user=user,
                plan=plan,
                title=title,
                domain=domain,
                target_date=today + datetime.timedelta(days=target_days),
            )
            Goal.objects.filter(pk=goal.pk).update(created_at=now - datetime.timedelta(days=48))
            for days_ago, value in history:
                goal_services.log_progress(
                    goal=goal, value=value, now=now - datetime.timedelta(days=days_ago, hours=3)
                )
            self._seed_tasks(user, goal, task_titles, rng, now, today)
        self._seed_tasks(user, None, LOOSE_TASKS, rng, now, today)
        on_hold = goal_services.create_goal(
            user=user, plan=plan, title="Learn to play the piano", domain=Domain.PERSONAL
        )
        goal_services.update_goal(goal=on_hold, status=Status.ON_HOLD)

    def _seed_tasks(self, user, goal, titles, rng, now, today):
        """Roughly: the first third done on past days, then some overdue, the rest upcoming."""
        for index, title in enumerate(titles):
            share = index / len(titles)
            if share < 0.4:
                due = today - datetime.timedelta(days=rng.randint(3, 40))
            elif share < 0.6:
                due = today - datetime.timedelta(days=rng.randint(1, 6))
            else:
                due = today + datetime.timedelta(days=rng.randint(0, 45))
            task = task_services.create_task(
                user=user, goal=goal, title=title, priority=rng.randint(1, 5), due_date=due
            )
            created = now - datetime.timedelta(days=max((today - due).days, 0) + rng.randint(2, 9))
            Task.objects.filter(pk=task.pk).update(created_at=created)
            if share < 0.4:
                done = now - datetime.timedelta(days=max((today - due).days, 1), hours=2)
                task_services.complete_task(task=task, now=done)

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
