"""Caching of the analytics figures: hits, expiry, and invalidation by every write service.

Runs against the local-memory cache and, where REDIS_URL names one, against real Redis through
django-redis (the production set-up).
"""

import datetime

import pytest
from django.core.cache import cache

from analytics.selectors import get_goal_tracking, get_productivity, get_summary
from goals import services as goal_services
from goals.factories import GoalFactory
from lib import user_version
from plans import services as plan_services
from plans.factories import PlanFactory
from tasks import services as task_services
from tasks.factories import TaskFactory, record_completions
from tasks.models import Task

from .clock import at, on, set_calendar

# settings, tasks aggregate, completions aggregate, goals aggregate, plans count, streak days
COLD_SUMMARY_QUERIES = 6
WARM_QUERIES = 1  # settings: the zone and the date are part of the key


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)], autouse=True)
def backend(request, settings):
    if request.param == "redis":
        settings.CACHES = {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": settings.REDIS_URL,
                "KEY_PREFIX": "analytics-tests",
                "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
            }
        }
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    yield request.param
    if request.param == "redis":
        cache.delete_pattern("analytics:*")


def test_a_second_read_is_a_cache_hit(user, django_assert_num_queries):
    TaskFactory(user=user)
    with django_assert_num_queries(COLD_SUMMARY_QUERIES):
        cold = get_summary(user=user)
    with django_assert_num_queries(WARM_QUERIES):
        warm = get_summary(user=user)
    assert warm == cold


def test_a_cached_figure_ignores_changes_made_behind_the_services_back(user):
    task = TaskFactory(user=user)
    assert get_summary(user=user)["tasks"]["completed"] == 0

    Task.objects.filter(pk=task.pk).update(completed_at=at(11, 9))
    task.refresh_from_db()
    record_completions([task])
    assert get_summary(user=user)["tasks"]["completed"] == 0  # served from the cache

    user_version.invalidate_user(user.pk)
    assert get_summary(user=user)["tasks"]["completed"] == 1


def test_entries_live_ten_minutes(user, backend, time_machine, django_assert_num_queries):
    get_summary(user=user)
    if backend == "redis":
        (key,) = cache.keys(f"analytics:{user.pk}:*:summary:*")
        assert 590 < cache.ttl(key) <= 600
    else:
        time_machine.move_to(at(11, 12, 9), tick=False)
        with django_assert_num_queries(WARM_QUERIES):
            get_summary(user=user)
        time_machine.move_to(at(11, 12, 10) + datetime.timedelta(seconds=1), tick=False)
        with django_assert_num_queries(COLD_SUMMARY_QUERIES):
            get_summary(user=user)


def test_every_analytics_entry_is_invalidated_together(user, django_assert_num_queries):
    GoalFactory(user=user)
    for read in (get_summary, get_goal_tracking, get_productivity):
        read(user=user)

    user_version.invalidate_user(user.pk)

    # 1 settings, 2 goals, 3 their progress entries
    with django_assert_num_queries(3):
        get_goal_tracking(user=user)
    # 1 settings, 2 completions per day, 3-4 overdue intervals (completed, still open)
    with django_assert_num_queries(4):
        get_productivity(user=user)


def test_invalidation_is_per_user(user, other_user, django_assert_num_queries):
    get_summary(user=user)
    get_summary(user=other_user)

    task_services.create_task(user=user, title="Mine")

    with django_assert_num_queries(WARM_QUERIES):
        get_summary(user=other_user)
    assert get_summary(user=user)["tasks"]["total"] == 1


def test_a_lost_version_token_means_a_recomputation_not_stale_figures(user):
    assert get_summary(user=user)["tasks"]["total"] == 0
    Task.objects.create(user=user, title="Behind the cache's back")
    cache.delete(f"analytics:{user.pk}:version")

    assert get_summary(user=user)["tasks"]["total"] == 1


def test_a_new_time_zone_is_a_new_entry(user):
    TaskFactory(user=user, completed_at=at(10, 23, 30))
    assert get_summary(user=user)["streak_days"] == 1  # yesterday in UTC

    set_calendar(user, timezone="Europe/Kyiv")

    assert get_summary(user=user)["as_of"] == on(11)
    assert get_productivity(user=user)["series"][-1]["completed"] == 1  # today in Kyiv


def _complete(user, task, goal, plan):
    task_services.complete_task(task=task)


def _reopen(user, task, goal, plan):
    task_services.complete_task(task=task)
    get_summary(user=user)
    task_services.reopen_task(task=task)


WRITES = {
    "create_plan": lambda user, task, goal, plan: plan_services.create_plan(user=user, title="P"),
    "update_plan": lambda user, task, goal, plan: plan_services.update_plan(plan=plan, title="Q"),
    "delete_plan": lambda user, task, goal, plan: plan_services.delete_plan(plan=plan),
    "create_goal": lambda user, task, goal, plan: goal_services.create_goal(user=user, title="G"),
    "update_goal": lambda user, task, goal, plan: goal_services.update_goal(goal=goal, progress=50),
    "log_progress": lambda user, task, goal, plan: goal_services.log_progress(goal=goal, value=60),
    "delete_goal": lambda user, task, goal, plan: goal_services.delete_goal(goal=goal),
    "create_task": lambda user, task, goal, plan: task_services.create_task(user=user, title="T"),
    "update_task": lambda user, task, goal, plan: task_services.update_task(
        task=task, due_date=on(1)
    ),
    "complete_task": _complete,
    "reopen_task": _reopen,
    "delete_task": lambda user, task, goal, plan: task_services.delete_task(task=task),
}


@pytest.mark.parametrize("write", WRITES)
def test_every_write_service_invalidates_the_users_figures(
    user, write, django_assert_num_queries, django_capture_on_commit_callbacks
):
    plan = PlanFactory(user=user)
    goal = GoalFactory(user=user, plan=plan, progress=10)
    task = TaskFactory(user=user, goal=goal, due_date=on(20))
    get_summary(user=user)

    with django_capture_on_commit_callbacks(execute=True):
        WRITES[write](user, task, goal, plan)

    # Recomputed: a cache hit would cost the settings query only.
    with django_assert_num_queries(COLD_SUMMARY_QUERIES):
        get_summary(user=user)


def test_invalidation_runs_again_when_the_transaction_commits(
    user, django_capture_on_commit_callbacks
):
    get_summary(user=user)
    with django_capture_on_commit_callbacks() as callbacks:
        task_services.create_task(user=user, title="New")
    # A reader between the write and the commit may cache figures without the new task.
    stale_token = cache.get(f"analytics:{user.pk}:version")

    for callback in callbacks:
        callback()

    assert callbacks
    assert cache.get(f"analytics:{user.pk}:version") != stale_token
