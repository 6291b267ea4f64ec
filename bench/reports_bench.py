"""Benchmark of the reports: the plan PDF's time and memory, the CSV export's speed and memory.

Run on demand against a scratch database (it creates users with their data and deletes them):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bk_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bk_bench .venv/bin/python bench/reports_bench.py

    options: --runs N (PDF renders per plan, default 5), --only pdf|big|csv, --csv 10000,100000

It prints, for the plan PDF of 20 goals and 200 tasks and for one of 20 goals and 5,000 tasks,
the median of the runs per phase -- queries (the context), template (Django renders the HTML),
layout (WeasyPrint lays out the pages), write (WeasyPrint writes the PDF) -- in CPU seconds of
the process (`time.process_time`, steadier than wall time on a shared machine) and wall seconds,
the pages, and the peak RSS of a fresh process rendering it once (as a worker child does). For
the CSV export: rows/s, peak Python memory (tracemalloc) and RSS growth at each size.
Each measurement runs in a child process of its own (`--child`), so peaks do not add up.
It writes the 200-task PDF to test-artifacts/plan-report.pdf and renders its cover, contents and
first goal page to PNG there (with poppler's `pdftoppm`, when installed).
"""

import argparse
import datetime
import io
import json
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
PDF_GOALS = 20
PLANS = {"pdf": 200, "big": 5_000}  # tasks of each benchmarked plan
PHASES = ("queries", "template", "layout", "write")


def make_user() -> User:
    return User.objects.create_user(
        email=f"bench-{uuid.uuid4().hex[:8]}@example.com", password=None, name="Олена Бенчмарк"
    )


def make_plan(user, tasks: int) -> Plan:
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
    per_goal = tasks // PDF_GOALS
    Task.objects.bulk_create(
        (
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
        ),
        batch_size=2_000,
    )
    return plan


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


# ---------- the measurements, each in a child process -------------------------------------


def _phases(job) -> tuple[dict, dict, bytes, int]:
    """One render of the plan report, split into its phases (CPU and wall seconds each)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    cpu, wall = {}, {}

    def lap(name, started_cpu, started_wall):
        cpu[name] = time.process_time() - started_cpu
        wall[name] = time.perf_counter() - started_wall
        return time.process_time(), time.perf_counter()

    started = time.process_time(), time.perf_counter()
    with documents._owner_locale(job.owner) as calendar:
        context = documents.plan_report_context(job, calendar)
        started = lap("queries", *started)
        html = documents.render_to_string(documents.PLAN_REPORT_TEMPLATE, context)
    started = lap("template", *started)
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, url_fetcher=fetcher).render()
    started = lap("layout", *started)
    pdf = document.write_pdf()
    lap("write", *started)
    return cpu, wall, pdf, len(document.pages)


def child_pdf(plan_id: str, runs: int, output: str | None) -> dict:
    plan = Plan.objects.select_related("user").get(pk=plan_id)
    job = ReportJob(owner=plan.user, kind=Kind.PLAN_REPORT, format=Format.PDF)
    job.parameters = {"plan": plan_id}
    # The first render in a fresh process, as a recycled worker child does it: its peak RSS.
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    with documents.plan_report(job) as content:
        pdf = content.read()
    first = {"cpu": time.process_time() - started_cpu, "wall": time.perf_counter() - started_wall}
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The end-to-end function the worker calls, warm, then the same split into phases.
    totals_cpu, totals_wall = [], []
    for _run in range(runs):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        with documents.plan_report(job) as content:
            pdf = content.read()
        totals_cpu.append(time.process_time() - started_cpu)
        totals_wall.append(time.perf_counter() - started_wall)
    phases_cpu: dict[str, list[float]] = {p: [] for p in PHASES}
    phases_wall: dict[str, list[float]] = {p: [] for p in PHASES}
    pages = 0
    for _run in range(runs):
        cpu, wall, _pdf, pages = _phases(job)
        for phase in PHASES:
            phases_cpu[phase].append(cpu[phase])
            phases_wall[phase].append(wall[phase])
    if output:
        Path(output).write_bytes(pdf)
    pages = pages or _count_pages(pdf)
    return {
        "first": first,
        "peak_rss_mib": peak_rss,
        "total_cpu": totals_cpu,
        "total_wall": totals_wall,
        "phases_cpu": {p: statistics.median(v or [0]) for p, v in phases_cpu.items()},
        "phases_wall": {p: statistics.median(v or [0]) for p, v in phases_wall.items()},
        "pages": pages,
        "kib": len(pdf) / 1024,
    }


def _count_pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def child_csv(user_id: str) -> dict:
    user = User.objects.get(pk=user_id)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryFile() as archive:
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        rows = exports.write_archive(user, archive)
        cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started_wall
        size = archive.tell()
    growth = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before, 0) / 1024
    tracemalloc.start()
    with tempfile.TemporaryFile() as archive:
        exports.write_archive(user, archive)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "rows": rows,
        "cpu": cpu,
        "wall": wall,
        "zip_mib": size / 1024 / 1024,
        "rss_growth_mib": growth,
        "traced_peak_mib": peak / 1024 / 1024,
    }


def run_child(*args: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---------- the parent: data, children, the table -----------------------------------------


def bench_pdf(name: str, tasks: int, runs: int) -> None:
    user = make_user()
    try:
        plan = make_plan(user, tasks)
        output = str(ARTIFACTS / "plan-report.pdf") if name == "pdf" else ""
        ARTIFACTS.mkdir(exist_ok=True)
        result = run_child("pdf", str(plan.pk), str(runs), output)
    finally:
        user.delete()
    cpu, wall = result["phases_cpu"], result["phases_wall"]
    print(
        f"\nPlan PDF, {PDF_GOALS} goals and {tasks:,} tasks: {result['pages']} pages, "
        f"{result['kib']:.0f} KiB; median of {runs} runs"
    )
    print(f"  {'phase':<10} {'CPU s':>7} {'wall s':>7}")
    for phase in PHASES:
        print(f"  {phase:<10} {cpu[phase]:>7.3f} {wall[phase]:>7.3f}")
    print(
        f"  {'total':<10} {statistics.median(result['total_cpu'] or [0]):>7.3f} "
        f"{statistics.median(result['total_wall'] or [0]):>7.3f}   "
        "(documents.plan_report; runs, CPU: "
        f"{', '.join(f'{t:.2f}' for t in result['total_cpu'])})"
    )
    print(
        f"  first render in a fresh process: {result['first']['cpu']:.2f} s CPU, "
        f"{result['first']['wall']:.2f} s wall; peak RSS {result['peak_rss_mib']:.0f} MiB"
    )
    if output and shutil.which("pdftoppm"):
        # Page 1 is the cover, 2 the contents, 3 the first goal.
        for page in (1, 2, 3):
            pages = ["-f", str(page), "-l", str(page), "-singlefile"]
            target = str(ARTIFACTS / f"plan-report-page-{page}")
            subprocess.run(["pdftoppm", "-png", "-r", "70", *pages, output, target], check=True)
        print(f"  PDF and PNG pages 1-3 in {ARTIFACTS}")


def bench_csv(sizes: list[int]) -> None:
    print("\nCSV export (ZIP of four CSVs)")
    print(
        f"  {'tasks':>8} {'rows':>8} {'wall s':>7} {'rows/s':>9} {'CPU rows/s':>10} "
        f"{'traced MiB':>10} {'RSS +MiB':>8}"
    )
    for size in sizes:
        user = make_user()
        try:
            make_tasks(user, size)
            result = run_child("csv", str(user.pk))
        finally:
            user.delete()
        print(
            f"  {size:>8,} {result['rows']:>8,} {result['wall']:>7.2f} "
            f"{result['rows'] / result['wall']:>9,.0f} {result['rows'] / result['cpu']:>10,.0f} "
            f"{result['traced_peak_mib']:>10.1f} {result['rss_growth_mib']:>8.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm renders of the 200-task plan")
    parser.add_argument("--big-runs", type=int, default=1, help="warm renders of the big one")
    parser.add_argument("--only", choices=("pdf", "big", "csv"))
    parser.add_argument("--csv", default="10000,100000", help="task counts of the CSV runs")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "pdf":
            result = child_pdf(rest[0], int(rest[1]), rest[2] or None)
        else:
            result = child_csv(rest[0])
        print(json.dumps(result))
        return
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    for name, tasks in PLANS.items():
        if args.only in (None, name):
            bench_pdf(name, tasks, args.runs if name == "pdf" else args.big_runs)
    if args.only in (None, "csv"):
        bench_csv([int(size) for size in args.csv.split(",")])


if __name__ == "__main__":
    main()
