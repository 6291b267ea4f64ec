"""Benchmark of the reports: PDF time for a big plan, CSV speed and memory for 100k tasks.

Run on demand against a scratch database (it creates a user with its data and deletes it):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bk_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bk_bench .venv/bin/python bench/reports_bench.py

It prints the figures, writes the PDF to test-artifacts/plan-report.pdf and renders its cover,
contents and first goal page to PNG there (with poppler's `pdftoppm`, when installed).
"""

import datetime
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bakhmach.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from goals.models import Domain, Goal, ProgressEntry  # noqa: E402
from plans.models import Plan  # noqa: E402
from reports import documents, exports  # noqa: E402
from reports.models import Format, Kind, ReportJob  # noqa: E402
from tasks.models import Task  # noqa: E402

ARTIFACTS = ROOT / "test-artifacts"
PDF_GOALS, PDF_TASKS = 20, 200
CSV_TASKS = 100_000
PDF_RUNS = 3


def make_user() -> User:
    return User.objects.create_user(
        email=f"bench-{uuid.uuid4().hex[:8]}@example.com", password=None, name="Олена Бенчмарк"
    )


def make_plan(user) -> Plan:
    today = timezone.localdate()
    now = timezone.now()
    plan = Plan.objects.create(
        user=user,
        title="План розвитку 2026 · Development plan",
        description="Кар'єра, здоров'я та навчання — a year of deliberate practice.",  # noqa: RUF001
        vision="Стати впевненим інженером, говорити англійською вільно і пробігти марафон.",  # noqa: RUF001
        start_date=today - datetime.timedelta(days=60),
        end_date=today + datetime.timedelta(days=300),
    )
    domains = list(Domain.values)
    goals = Goal.objects.bulk_create(
        Goal(
            user=user,
            plan=plan,
            title=("Вивчити англійську до рівня B2" if n == 0 else f"Goal {n + 1}: ціль {n + 1}"),
            description="Щодня по 30 хвилин практики; weekly review on Sundays.",
            domain=domains[n % len(domains)],
            target_date=today + datetime.timedelta(days=30 + 15 * n),
            progress=min(95, 10 + 4 * n),
            created_at=now - datetime.timedelta(days=50),
        )
        for n in range(PDF_GOALS)
    )
    ProgressEntry.objects.bulk_create(
        ProgressEntry(
            goal=goal,
            value=round(goal.progress * (step + 1) / 5),
            created_at=now - datetime.timedelta(days=40 - 8 * step),
        )
        for goal in goals
        for step in range(5)
    )
    per_goal = PDF_TASKS // PDF_GOALS
    Task.objects.bulk_create(
        Task(
            user=user,
            goal=goal,
            title=f"Крок {n + 1}: step {n + 1} of “{goal.title[:20]}”",
            priority=1 + n % 5,
            due_date=today + datetime.timedelta(days=n - 3),
            completed_at=now - datetime.timedelta(days=1) if n % 3 == 0 else None,
        )
        for goal in goals
        for n in range(per_goal)
    )
    return plan


def bench_pdf(user, plan) -> None:
    job = ReportJob(owner=user, kind=Kind.PLAN_REPORT, format=Format.PDF)
    job.parameters = {"plan": str(plan.pk)}
    timings = []
    for _run in range(PDF_RUNS):
        started = time.perf_counter()
        with documents.plan_report(job) as content:
            pdf = content.read()
        timings.append(time.perf_counter() - started)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "plan-report.pdf"
    target.write_bytes(pdf)
    print(
        f"PDF, {PDF_GOALS} goals and {PDF_TASKS} tasks: median {statistics.median(timings):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in timings)}), {len(pdf) / 1024:.0f} KiB -> {target}"
    )
    if shutil.which("pdftoppm"):
        # Page 1 is the cover, 2 the contents, 3 the first goal.
        for page in (1, 2, 3):
            pages = ["-f", str(page), "-l", str(page), "-singlefile"]
            output = str(ARTIFACTS / f"plan-report-page-{page}")
            subprocess.run(
                ["pdftoppm", "-png", "-r", "70", *pages, str(target), output], check=True
            )
        print(f"PNG pages 1-3 in {ARTIFACTS}")


def make_tasks(user, count: int) -> None:
    goal = Goal.objects.create(user=user, title="Bulk goal")
    now = timezone.now()
    batch = 5_000
    for start in range(0, count, batch):
        Task.objects.bulk_create(
            Task(
                user=user,
                goal=goal if n % 2 else None,
                title=f"=Task {n} with a formula-looking title" if n % 50 == 0 else f"Задача {n}",
                description="Some words about the task, long enough to be realistic.",
                priority=1 + n % 5,
                due_date=now.date() + datetime.timedelta(days=n % 90),
                completed_at=now if n % 4 == 0 else None,
            )
            for n in range(start, min(start + batch, count))
        )


def bench_csv(user) -> None:
    make_tasks(user, CSV_TASKS)
    # Memory first, so the process's peak RSS so far is the data set-up's, not an export's.
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    tracemalloc.start()
    with tempfile.TemporaryFile() as archive:
        exports.write_archive(user, archive)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    growth = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before, 0) / 1024
    print(
        f"CSV export peak Python memory (tracemalloc): {peak / 1024 / 1024:.1f} MiB; "
        f"peak RSS grew by {growth:.0f} MiB during the export"
    )
    with tempfile.TemporaryFile() as archive:
        started = time.perf_counter()
        rows = exports.write_archive(user, archive)
        elapsed = time.perf_counter() - started
        size = archive.tell()
    print(
        f"CSV export, {rows} rows ({CSV_TASKS} tasks): {elapsed:.2f} s, "
        f"{rows / elapsed:,.0f} rows/s, ZIP {size / 1024 / 1024:.1f} MiB"
    )


def main() -> None:
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    user = make_user()
    try:
        plan = make_plan(user)
        bench_pdf(user, plan)
        bench_csv(user)
    finally:
        user.delete()


if __name__ == "__main__":
    main()
