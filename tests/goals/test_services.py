import threading
import time

import pytest
from django.db import connection, transaction

from goals import services
from goals.factories import GoalFactory
from goals.models import Goal, Status

pytestmark = pytest.mark.django_db


def _log(goal):
    return list(goal.progress_entries.order_by("created_at").values_list("value", flat=True))


def test_editing_a_goal_read_before_progress_was_logged_keeps_the_progress(user):
    goal = GoalFactory(user=user, title="Draft")
    stale = Goal.objects.get(pk=goal.pk)  # read by a PATCH, say, before the log below
    services.log_progress(goal=Goal.objects.get(pk=goal.pk), value=100)

    services.update_goal(goal=stale, title="Final")

    goal.refresh_from_db()
    assert goal.title == "Final"
    assert (goal.progress, goal.status) == (100, Status.COMPLETED)
    assert goal.completed_at is not None
    assert _log(goal) == [100]


def test_setting_progress_on_a_stale_goal_changes_and_logs_it_from_the_stored_value(user):
    goal = GoalFactory(user=user)
    stale = Goal.objects.get(pk=goal.pk)  # progress 0 here
    services.log_progress(goal=Goal.objects.get(pk=goal.pk), value=60)

    services.update_goal(goal=stale, progress=0)

    goal.refresh_from_db()
    assert goal.progress == 0
    assert _log(goal) == [60, 0]  # the log ends at the goal's value


def test_logging_progress_on_a_stale_goal_keeps_its_first_completion(user):
    goal = GoalFactory(user=user)
    stale = Goal.objects.get(pk=goal.pk)
    completed = services.update_goal(goal=Goal.objects.get(pk=goal.pk), status=Status.COMPLETED)

    services.log_progress(goal=stale, value=100)

    goal.refresh_from_db()
    assert goal.status == Status.COMPLETED
    assert goal.completed_at == completed.completed_at


def test_changing_the_status_of_a_stale_goal_reopens_it_from_the_stored_state(user):
    goal = GoalFactory(user=user)
    stale = Goal.objects.get(pk=goal.pk)  # active here
    services.log_progress(goal=Goal.objects.get(pk=goal.pk), value=100)

    services.update_goal(goal=stale, status=Status.ON_HOLD)

    goal.refresh_from_db()
    assert (goal.status, goal.completed_at, goal.progress) == (Status.ON_HOLD, None, 100)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_progress_change_waits_for_one_being_logged_and_starts_from_its_value(user):
    goal = GoalFactory(user=user)
    stale = Goal.objects.get(pk=goal.pk)  # progress 0 here
    waited = threading.Event()

    def edit_at_once():
        try:
            services.update_goal(goal=stale, progress=0)
        finally:
            connection.close()

    with transaction.atomic():
        services.log_progress(goal=Goal.objects.get(pk=goal.pk), value=60)
        thread = threading.Thread(target=edit_at_once)
        thread.start()
        # Without the lock the edit reads progress 0 (the log is not committed yet), sees no
        # change and logs nothing; with it, it waits for this transaction and then reads 60.
        deadline = time.monotonic() + 10
        while thread.is_alive() and not waited.is_set() and time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND datname = current_database()"
                )
                if cursor.fetchone()[0]:
                    waited.set()
            time.sleep(0.05)
    thread.join(timeout=30)

    goal.refresh_from_db()
    assert waited.is_set()
    assert goal.progress == 0
    assert _log(goal) == [60, 0]
