"""The PDF documents, rendered by the real task (eagerly) and read back with pypdf."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from analytics import figures
from analytics.selectors import TOO_FEW_ENTRIES, get_goal_tracking, projection_note
from goals.factories import GoalFactory, ProgressEntryFactory
from reports import documents, services
from reports.models import Format, Kind, ReportJob, Status
from tasks.factories import TaskFactory
from tasks.models import Task

from .conftest import UKRAINIAN_GOAL, build_plan

pytestmark = pytest.mark.django_db


def read_pdf(job) -> PdfReader:
    with job.file.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


@pytest.fixture
def plan_report(user, plan, run_jobs):
    with run_jobs():
        job = services.request_plan_report(user=user, plan=plan)
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    return read_pdf(job)


def test_the_plan_report_shows_the_plan_its_goals_and_tasks_in_ukrainian_and_english(
    plan_report,
):
    text = "\n".join(page_texts(plan_report))

    assert "Мій план розвитку 2026" in text
    assert "Стати впевненим інженером" in text
    assert UKRAINIAN_GOAL in text
    assert "Щодня 30 хвилин" in text
    assert "Run a half marathon" in text
    assert "Урок 2" in text
    assert "Run 3" in text


def test_the_plan_report_has_a_cover_contents_a_page_per_goal_and_a_summary(plan_report):
    pages = page_texts(plan_report)

    assert len(pages) == 5  # cover, contents, two goals, summary
    assert "Personal Development Plan" in pages[0]
    assert "Contents" in pages[1]
    assert "GOAL 1 OF 2" in pages[2]  # the eyebrow is set in capitals
    assert UKRAINIAN_GOAL in pages[2]
    assert "GOAL 2 OF 2" in pages[3]
    assert "Summary" in pages[4]
    assert "tasks completed" in pages[4]


def test_the_contents_give_each_goals_page_number_and_pages_are_numbered(plan_report):
    pages = page_texts(plan_report)

    contents = pages[1]
    # Each entry ends with its page: goal 1 on page 3, goal 2 on page 4, the summary on page 5.
    assert [line.rstrip()[-1] for line in contents.splitlines() if "....." in line] == [
        "3",
        "4",
        "5",
    ]
    assert "Page 2 of 5" in pages[1]
    assert "Page 5 of 5" in pages[4]
    assert "Page 1 of" not in pages[0]  # the cover has no running header or footer


def test_the_contents_give_the_page_where_each_section_starts_when_goals_take_pages(user, run_jobs):
    build_plan(user, goals=3, tasks_per_goal=documents.TASK_ROWS_PER_GOAL)
    with run_jobs():
        job = services.request_plan_report(user=user, plan=user.plans.get())
    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    pages = page_texts(read_pdf(job))

    def first_page_with(text: str) -> int:
        return next(number for number, page in enumerate(pages, 1) if text in page)

    starts = [first_page_with(f"GOAL {n} OF 3") for n in (1, 2, 3)]
    starts.append(first_page_with("ALL YOUR PLANS"))  # the summary's eyebrow
    listed = [int(line.split()[-1]) for line in pages[1].splitlines() if "....." in line]
    assert listed == starts
    assert starts[1] - starts[0] > 1  # a goal's 25 tasks run onto a second page
    for number, page in enumerate(pages[1:], 2):
        assert f"Page {number} of {len(pages)}" in page
        assert "Мій план розвитку 2026" in page  # the running header
    assert UKRAINIAN_GOAL in pages[starts[0]]  # its page after the first: the section title


def test_the_plan_report_embeds_the_goal_charts_and_a_pdf_outline(plan_report):
    outline = [item.title for item in plan_report.outline if not isinstance(item, list)]
    assert outline == ["Мій план розвитку 2026"]
    chapters = [item.title for item in plan_report.outline[1]]
    assert chapters == ["Contents", UKRAINIAN_GOAL, "Run a half marathon", "Summary"]
    # The chart of a goal is vector SVG drawn on its page, with its axis labels as text.
    assert "100%" in page_texts(plan_report)[2]


def test_a_goal_chart_is_drawn_whatever_characters_the_goal_title_has(user, run_jobs):
    plan = build_plan(user, goals=1, tasks_per_goal=1)
    title = """Tom & Jerry's "<b>plan</b>" ≥ 5 € — Ї"""
    plan.goals.update(title=title)
    with run_jobs():
        job = services.request_plan_report(user=user, plan=plan)
    job.refresh_from_db()
    assert job.status == Status.READY, job.error

    goal_page = page_texts(read_pdf(job))[2]

    assert title in " ".join(goal_page.split())
    # The chart (an SVG image carrying the title in its tooltips) parsed and drew its labels.
    assert "100%" in goal_page


def test_the_plan_report_uses_dejavu_sans_for_every_text(plan_report):
    fonts = set()
    for page in plan_report.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("DejaVu-Sans" in font for font in fonts), fonts


def test_the_analytics_pdf_shows_the_figures_charts_and_goal_tracking(user, plan, run_jobs):
    TaskFactory(user=user, title="Loose task")
    with run_jobs():
        job = services.request_analytics_export(user=user, format=Format.PDF)

    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    text = "\n".join(page_texts(read_pdf(job)))
    assert "Analytics" in text
    assert "Progress over time" in text
    assert "Tasks completed per day" in text
    assert "Goals by domain" in text
    assert "Goal tracking" in text
    assert UKRAINIAN_GOAL in text
    assert "2 / 7" in text  # one done per goal, of 3 + 3 + the loose one


def test_the_plan_report_reads_fresh_figures_not_the_analytics_cache(user, plan, run_jobs):
    get_goal_tracking(user=user)  # cached for 10 minutes, as the analytics page leaves it
    # A goal the cached figures do not know (a factory skips the services' invalidation).
    GoalFactory(user=user, plan=plan, title="Added after the figures were cached")

    with run_jobs():
        job = services.request_plan_report(user=user, plan=plan)

    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    assert "Added after the figures were cached" in "\n".join(page_texts(read_pdf(job)))


def test_the_plan_report_explains_a_missing_projection_in_the_words_of_the_web_page(
    user, plan, run_jobs
):
    GoalFactory(user=user, plan=plan, title="Nothing logged yet")

    with run_jobs():
        job = services.request_plan_report(user=user, plan=plan)

    job.refresh_from_db()
    text = " ".join(" ".join(page_texts(read_pdf(job))).split())
    assert projection_note(TOO_FEW_ENTRIES) in text
    assert projection_note(TOO_FEW_ENTRIES) == "Not enough data: log progress at least twice."


def test_the_plan_report_and_the_analytics_page_state_a_projection_in_the_same_words(
    user, plan, run_jobs, web_client
):
    goal = GoalFactory(user=user, plan=plan, title="Steady runner", progress=40)
    now = timezone.now()
    ProgressEntryFactory(goal=goal, value=20, created_at=now - datetime.timedelta(days=10))
    ProgressEntryFactory(goal=goal, value=40, created_at=now - datetime.timedelta(days=5))
    sentence = figures.projection(get_goal_tracking(user=user, use_cache=False)["goals"][0])
    assert sentence.startswith("At the current pace, complete by ")

    with run_jobs():
        job = services.request_plan_report(user=user, plan=plan)

    job.refresh_from_db()
    assert sentence in " ".join(" ".join(page_texts(read_pdf(job))).split())
    assert sentence in web_client.get("/analytics/").content.decode()


def test_the_plan_report_costs_the_same_queries_for_one_goal_as_for_eight(user, other_user):
    small = build_plan(user, goals=1, tasks_per_goal=1)
    big = build_plan(other_user, goals=8, tasks_per_goal=6)
    counts = []
    for plan in (small, big):
        job = ReportJob(
            owner=plan.user,
            kind=Kind.PLAN_REPORT,
            format=Format.PDF,
            parameters={"plan": str(plan.pk)},
        )
        with CaptureQueriesContext(connection) as queries, documents.plan_report(job) as pdf:
            assert pdf.read(5) == b"%PDF-"
        counts.append(len(queries))

    # The owner's settings, the plan, its goals, their tasks, and the analytics selectors'
    # fixed set (goal tracking, summary; never cached), whatever the size of the plan.
    assert counts[0] == counts[1]


def test_the_plan_report_has_the_balance_wheel_and_a_section_of_reviews_then_and_now(
    user, plan, run_jobs
):
    from goals import services as goal_services
    from plans import services as plan_services

    goal = plan.goals.order_by("created_at").first()
    plan_services.create_review(
        plan=plan, went_well="Kept the streak", went_badly="Skipped the gym", next="Book a coach"
    )
    goal_services.update_goal(goal=goal, progress=90)

    with run_jobs():
        job = services.request_plan_report(user=user, plan=plan)

    job.refresh_from_db()
    pages = page_texts(read_pdf(job))
    text = " ".join(" ".join(pages).split())
    assert "Life balance" in pages[1]  # on the contents page
    reviews = next(page for page in pages if "Kept the streak" in page)
    assert "Skipped the gym" in reviews
    assert "Book a coach" in reviews
    assert "90% · Active" in " ".join(reviews.split())
    assert "Reviews" in pages[1]
    assert "Summary" in text


def test_a_big_plan_lists_the_first_tasks_of_each_goal_and_counts_the_rest(user, run_jobs):
    plan = build_plan(user, goals=1, tasks_per_goal=1)
    goal = plan.goals.get()
    today = timezone.localdate()
    extra = documents.TASK_ROWS_PER_GOAL + 4
    TaskFactory.create_batch(
        extra, user=user, goal=goal, title="Later task", due_date=today + datetime.timedelta(99)
    )
    # Soonest due: listed first, however many later ones there are.
    TaskFactory(user=user, goal=goal, title="Due soonest", due_date=today)

    with run_jobs():
        job = services.request_plan_report(user=user, plan=plan)

    job.refresh_from_db()
    assert job.status == Status.READY, job.error
    pages = page_texts(read_pdf(job))
    text = " ".join(" ".join(pages).split())
    total = extra + 2
    listed = documents.TASK_ROWS_PER_GOAL
    # Open tasks first, soonest due first: "Due soonest", then the later ones; the completed
    # "Урок 1" comes last, so it is among those counted, not listed.
    assert text.count("Later task") == listed - 1
    assert "Due soonest" in text
    assert "Урок 1" not in text
    assert f"1 / {total}" in text  # the goal's count is of all its tasks
    assert f"1 of {total} done" in text  # the cover's too
    assert (
        f"The first {listed} tasks are listed here; {total - listed} more (1 done) are in the "
        "CSV export" in text
    )
    # Contents and "page X of Y" still hold.
    assert f"Page 2 of {len(pages)}" in pages[1]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_the_plan_report_reads_a_bounded_number_of_tasks_of_a_5000_task_goal(user):
    plan = build_plan(user, goals=1, tasks_per_goal=0)
    goal = plan.goals.get()
    Task.objects.bulk_create(Task(user=user, goal=goal, title=f"T{n}") for n in range(5_000))
    job = ReportJob(owner=user, kind=Kind.PLAN_REPORT, format=Format.PDF)
    job.parameters = {"plan": str(plan.pk)}

    with documents._owner_locale(user) as calendar:
        context = documents.plan_report_context(job, calendar)

    (item,) = context["goals"]
    assert len(item["tasks"]) == documents.TASK_ROWS_PER_GOAL
    assert item["tasks_total"] == context["tasks_total"] == 5_000
    assert item["tasks_unlisted"] == 5_000 - documents.TASK_ROWS_PER_GOAL
