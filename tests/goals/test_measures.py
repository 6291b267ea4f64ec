"""How goals measure themselves, and how check-ins move everything derived from them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from goals import measures, services
from goals.factories import GoalFactory
from goals.models import Goal, Measure, ProgressEntry, Source, Status
from plans.factories import PlanFactory
from tasks import services as task_services
from tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db

D = Decimal


def metric_goal(user, **fields):
    values = {"title": "Run a half marathon", "start_value": D(0), "target_value": D("21.1")}
    return services.create_goal(user=user, measure="metric", **(values | {"unit": "km"} | fields))


def kr_goal(user):
    goal = services.create_goal(user=user, title="Ship the book", measure="key_results")
    chapters = services.create_key_result(
        goal=goal, title="Chapters", start_value=D(0), target_value=D(10), weight=3
    )
    readers = services.create_key_result(
        goal=goal, title="Beta readers", start_value=D(0), target_value=D(4), weight=1
    )
    return goal, chapters, readers


def fresh(goal):
    return Goal.objects.get(pk=goal.pk)


# --- the arithmetic --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target", "current", "progress"),
    [
        (0, 100, 25, 25),
        (0, 100, 150, 100),  # past the target: clamped
        (0, 100, -5, 0),
        (90, 80, 85, 50),  # down: weight from 90 kg to 80 kg
        (90, 80, 95, 0),  # down, but went up
        (90, 80, 79, 100),
        (1000, 0, 250, 75),  # debt paid down
    ],
)
def test_metric_progress_in_both_directions(start, target, current, progress):
    assert measures.metric_progress(D(start), D(target), D(current)) == progress


def test_weighted_progress_weighs_each_part():
    assert measures.weighted_progress([(100, 3), (0, 1)]) == 75
    assert measures.weighted_progress([(100, 1), (0, 1)]) == 50
    assert measures.weighted_progress([]) == 0


# --- manual ----------------------------------------------------------------------------------


def test_existing_and_new_goals_are_manual_by_default(user):
    goal = GoalFactory(user=user)

    assert goal.measure == Measure.MANUAL
    assert services.log_progress(goal=goal, value=40).value == 40
    assert fresh(goal).progress == 40


# --- metric ----------------------------------------------------------------------------------


def test_a_metric_goal_moves_with_its_check_ins(user):
    goal = metric_goal(user)

    entry = services.check_in(goal=goal, value=D("5.3"), note="First long run")

    goal = fresh(goal)
    assert (goal.current_value, goal.progress) == (D("5.30"), 25)
    assert (entry.value, entry.metric_value) == (25, D("5.3"))
    assert entry.describe_value() == "5.3 km"
    assert goal.explain_progress() == "5.3 km on the way from 0 km to 21.1 km."


def test_a_metric_goal_going_down(user):
    goal = metric_goal(
        user, start_value=D(92), target_value=D(82), unit="kg", direction="down", title="Weight"
    )

    services.check_in(goal=goal, value=D(87))

    assert fresh(goal).progress == 50


def test_a_metric_in_the_wrong_direction_is_a_field_error(user):
    with pytest.raises(ValidationError) as error:
        metric_goal(user, start_value=D(92), target_value=D(82), direction="up")

    assert "target_value" in error.value.message_dict
    assert not Goal.objects.exists()


def test_a_percentage_on_a_metric_goal_is_the_share_of_its_way(user):
    goal = metric_goal(user, start_value=D(0), target_value=D(200))

    entry = services.check_in(goal=goal, progress=30)

    assert (entry.metric_value, fresh(goal).current_value) == (D(60), D(60))


def test_a_current_value_given_to_the_goal_is_a_check_in(user):
    goal = metric_goal(user, current_value=D("10.55"))

    assert fresh(goal).progress == 50
    assert list(goal.progress_entries.values_list("metric_value", flat=True)) == [D("10.55")]

    services.update_goal(goal=fresh(goal), current_value=D("21.1"))

    goal = fresh(goal)
    assert (goal.progress, goal.status) == (100, Status.COMPLETED)
    assert goal.progress_entries.count() == 2


def test_moving_a_metric_target_recomputes_progress_and_history(user):
    goal = metric_goal(user, start_value=D(0), target_value=D(10))
    first = services.check_in(goal=goal, value=D(5))

    services.update_goal(goal=fresh(goal), target_value=D(20))

    first.refresh_from_db()
    assert (fresh(goal).progress, first.value) == (25, 25)


# --- key results -----------------------------------------------------------------------------


def test_key_results_average_by_weight(user):
    goal, chapters, readers = kr_goal(user)

    services.check_in(goal=goal, key_result=chapters, value=D(10))

    goal = fresh(goal)
    assert goal.progress == 75  # chapters done (weight 3), no readers yet (weight 1)
    chapters.refresh_from_db()
    assert (chapters.current_value, chapters.progress) == (D(10), 100)

    services.update_key_result(key_result=readers, current_value=D(2))

    assert fresh(goal).progress == 88  # (100 * 3 + 50 * 1) / 4 = 87.5


def test_deleting_a_key_result_moves_the_goal(user):
    goal, _, readers = kr_goal(user)
    services.check_in(goal=goal, key_result=readers, value=D(4))
    assert fresh(goal).progress == 25

    services.delete_key_result(key_result=readers)

    assert fresh(goal).progress == 0
    assert not goal.progress_entries.exists()


def test_a_goal_has_at_most_five_key_results(user):
    goal = services.create_goal(user=user, title="OKR", measure="key_results")
    for number in range(5):
        services.create_key_result(goal=goal, title=f"KR {number}", start_value=0, target_value=1)

    with pytest.raises(ValidationError):
        services.create_key_result(goal=goal, title="Sixth", start_value=0, target_value=1)


def test_a_key_result_value_needs_its_key_result(user):
    goal, _, _ = kr_goal(user)

    with pytest.raises(ValidationError) as error:
        services.check_in(goal=goal, value=D(3))

    assert "key_result" in error.value.message_dict


def test_a_key_result_of_another_goal_is_refused(user):
    goal, _, _ = kr_goal(user)
    _, foreign, _ = kr_goal(user)

    with pytest.raises(ValidationError) as error:
        services.check_in(goal=goal, key_result=foreign, value=D(3))

    assert "key_result" in error.value.message_dict


# --- tasks -----------------------------------------------------------------------------------


def test_a_tasks_goal_is_the_priority_weighted_share_of_tasks_done(user):
    goal = services.create_goal(user=user, title="Move house", measure="tasks")
    urgent = task_services.create_task(user=user, goal=goal, title="Book the van", priority=1)
    task_services.create_task(user=user, goal=goal, title="Label boxes", priority=5)

    task_services.complete_task(task=urgent)

    goal = fresh(goal)
    assert goal.progress == 83  # 5 of 6 points
    evidence = goal.progress_entries.get()
    assert (evidence.source, evidence.source_ref) == (Source.TASK, str(urgent.pk))
    assert evidence.note == "Completed “Book the van”"
    assert evidence.value == 83


def test_reopening_or_deleting_a_task_withdraws_its_evidence(user):
    goal = services.create_goal(user=user, title="Move house", measure="tasks")
    task = task_services.create_task(user=user, goal=goal, title="Book the van")
    task_services.complete_task(task=task)
    assert fresh(goal).status == Status.COMPLETED

    task_services.reopen_task(task=task)

    goal = fresh(goal)
    assert (goal.progress, goal.status, goal.progress_entries.count()) == (0, Status.ACTIVE, 0)
    task_services.complete_task(task=task)
    task_services.delete_task(task=task)
    assert (fresh(goal).progress, goal.progress_entries.count()) == (0, 0)


def test_adding_a_task_or_moving_one_away_moves_a_tasks_goal(user):
    goal = services.create_goal(user=user, title="Move house", measure="tasks")
    done = TaskFactory(user=user, goal=goal, completed_at=timezone.now(), priority=3)
    services.refresh_goal_progress(goal=goal)
    assert fresh(goal).progress == 100

    other = task_services.create_task(user=user, goal=goal, title="Clean", priority=3)
    assert fresh(goal).progress == 50

    task_services.update_task(task=other, goal=None)
    task_services.update_task(task=done, goal=None)
    assert fresh(goal).progress == 0


def test_a_task_of_another_measure_writes_no_evidence(user):
    goal = GoalFactory(user=user)
    task = TaskFactory(user=user, goal=goal)

    task_services.complete_task(task=task)

    assert not goal.progress_entries.exists()


def test_a_tasks_goal_takes_no_typed_progress(user):
    goal = services.create_goal(user=user, title="Move house", measure="tasks")

    with pytest.raises(ValidationError) as error:
        services.check_in(goal=goal, progress=50)

    assert "progress" in error.value.message_dict
    # A note or a link is welcome: evidence that explains without moving.
    entry = services.check_in(goal=goal, note="Found a flat", evidence_url="https://example.com/")
    assert entry.value == 0


# --- editing and deleting check-ins ----------------------------------------------------------


def test_editing_a_check_in_recomputes_and_reopens_below_100(user):
    goal = metric_goal(user, start_value=D(0), target_value=D(10))
    services.check_in(goal=goal, value=D(4))
    last = services.check_in(goal=goal, value=D(10))
    assert fresh(goal).status == Status.COMPLETED

    edited = services.update_check_in(entry=last, value=D(8), note="Miscounted")

    goal = fresh(goal)
    assert (goal.progress, goal.current_value, goal.status) == (80, D(8), Status.ACTIVE)
    assert goal.completed_at is None
    assert (edited.value, edited.note) == (80, "Miscounted")


def test_deleting_a_check_in_falls_back_to_the_one_before(user):
    goal = GoalFactory(user=user)
    services.log_progress(goal=goal, value=30)
    mistyped = services.log_progress(goal=fresh(goal), value=100)
    assert fresh(goal).status == Status.COMPLETED

    services.delete_check_in(entry=mistyped)

    goal = fresh(goal)
    assert (goal.progress, goal.status, goal.completed_at) == (30, Status.ACTIVE, None)


def test_editing_an_older_key_result_check_in_rewrites_the_history_after_it(user):
    goal, chapters, readers = kr_goal(user)
    now = timezone.now()
    first = services.check_in(
        goal=goal, key_result=chapters, value=D(5), now=now - datetime.timedelta(days=2)
    )
    second = services.check_in(goal=goal, key_result=readers, value=D(4), now=now)

    services.update_check_in(entry=first, value=D(10))

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.value, second.value, fresh(goal).progress) == (75, 100, 100)


# --- completion and its undo -----------------------------------------------------------------


def test_reopening_a_goal_completed_by_a_typed_100_withdraws_that_check_in(user):
    goal = GoalFactory(user=user)
    services.log_progress(goal=goal, value=55)
    services.log_progress(goal=fresh(goal), value=100)

    services.reopen_goal(goal=fresh(goal))

    goal = fresh(goal)
    assert (goal.progress, goal.status, goal.completed_at) == (55, Status.ACTIVE, None)
    assert list(goal.progress_entries.values_list("value", flat=True)) == [55]


def test_reopening_a_goal_completed_by_its_tasks_keeps_the_evidence(user):
    goal = services.create_goal(user=user, title="Move house", measure="tasks")
    task = task_services.create_task(user=user, goal=goal, title="Book the van")
    task_services.complete_task(task=task)

    services.reopen_goal(goal=fresh(goal))

    goal = fresh(goal)
    assert (goal.progress, goal.status) == (100, Status.ACTIVE)
    assert goal.progress_entries.count() == 1
    # It completes again once it dips and comes back to 100.
    second = task_services.create_task(user=user, goal=goal, title="Clean")
    task_services.complete_task(task=second)
    assert fresh(goal).status == Status.COMPLETED


# --- status, evidence, the date rule ----------------------------------------------------------


def test_status_is_suggested_from_the_pace_when_not_given(user):
    goal = GoalFactory(user=user, target_date=timezone.localdate() + datetime.timedelta(days=10))
    Goal.objects.filter(pk=goal.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=90)
    )  # 90 % of the way to the target date
    goal = fresh(goal)

    assert services.log_progress(goal=goal, value=95).status == "on_track"
    assert services.log_progress(goal=fresh(goal), value=80).status == "at_risk"
    assert services.log_progress(goal=fresh(goal), value=20).status == "off_track"
    chosen = services.check_in(goal=fresh(goal), progress=20, status="on_track")
    assert chosen.status == "on_track"


def test_the_same_evidence_twice_is_one_check_in(user):
    goal = GoalFactory(user=user)
    url = "https://github.example/acme/app/pull/7"

    first = services.check_in(goal=goal, evidence_url=url, source="github", source_ref=url)
    again = services.check_in(goal=fresh(goal), evidence_url=url, source="github", source_ref=url)

    assert first.pk == again.pk
    assert ProgressEntry.objects.count() == 1


def test_an_unknown_source_or_a_bad_link_is_refused(user):
    goal = GoalFactory(user=user)

    with pytest.raises(ValidationError) as error:
        services.check_in(goal=goal, progress=10, source="fax", evidence_url="not a link")

    assert {"source", "evidence_url"} <= set(error.value.message_dict)
    assert not ProgressEntry.objects.exists()


def test_a_target_outside_the_plans_dates_is_a_field_error_unless_kept_on_purpose(user):
    plan = PlanFactory(
        user=user, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 6, 30)
    )

    for target in (datetime.date(2026, 7, 1), datetime.date(2025, 12, 31)):
        with pytest.raises(ValidationError) as error:
            services.create_goal(user=user, plan=plan, title="Late", target_date=target)
        assert "target_date" in error.value.message_dict

    goal = services.create_goal(
        user=user,
        plan=plan,
        title="Late",
        target_date=datetime.date(2026, 7, 1),
        target_outside_plan=True,
    )
    assert goal.target_outside_plan_dates().startswith("The target date is after the plan ends")
