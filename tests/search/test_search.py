"""Search across plans, goals, tasks and check-in notes: the API, the page, the header box."""

import pytest
from django.db import connection
from django.urls import reverse

from goals.factories import GoalFactory, ProgressEntryFactory
from plans.factories import PlanFactory
from search.selectors import search
from tasks.factories import TaskFactory
from tests.web import HTMX, is_fragment, request_overhead

pytestmark = pytest.mark.django_db

API = "/api/search"


def api_titles(api_client, q, **params):
    response = api_client.get(API, {"q": q, **params})
    assert response.status_code == 200, response.content
    return [(hit["type"], hit["title"]) for hit in response.json()["results"]]


def test_every_kind_is_found_with_its_type_id_title_and_url(api_client, user):
    plan = PlanFactory(user=user, title="Quarterly plan", vision="Grow the bakery")
    goal = GoalFactory(user=user, title="Open a bakery", description="")
    task = TaskFactory(user=user, title="Rent a bakery oven", description="")
    entry = ProgressEntryFactory(goal=GoalFactory(user=user), note="Visited a bakery today")

    response = api_client.get(API, {"q": "bakery"})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 4
    hits = {hit["type"]: hit for hit in body["results"]}
    assert set(hits) == {"plan", "goal", "task", "checkin"}
    assert hits["task"] == {
        "type": "task",
        "id": str(task.pk),
        "title": "Rent a bakery oven",
        "url": f"http://testserver/tasks/{task.pk}/edit",
    }
    assert hits["goal"]["url"] == f"http://testserver/goals/{goal.pk}/"
    assert hits["plan"]["id"] == str(plan.pk)
    assert hits["checkin"]["id"] == str(entry.pk)
    assert hits["checkin"]["title"] == "Visited a bakery today"
    assert hits["checkin"]["url"] == (
        f"http://testserver/goals/{entry.goal_id}/#check-in-{entry.pk}"
    )


def test_a_title_match_ranks_first(api_client, user):
    # The description says "budget" three times, the title once: the title still wins.
    TaskFactory(user=user, title="Weekly chores", description="budget, budget and the budget")
    GoalFactory(user=user, title="Save money", description="Keep to the budget")
    ProgressEntryFactory(goal=GoalFactory(user=user, title="Home"), note="Budget on track")
    TaskFactory(user=user, title="Review the budget", description="")

    ranked = api_titles(api_client, "budget")

    assert ranked[0] == ("task", "Review the budget")
    assert len(ranked) == 4


def test_a_title_holding_every_word_outranks_one_holding_some(api_client, user):
    TaskFactory(user=user, title="Call the bank", description="about the mortgage")
    TaskFactory(user=user, title="Mortgage: call the bank", description="")

    assert api_titles(api_client, "bank mortgage")[0] == ("task", "Mortgage: call the bank")


def test_every_word_must_match_each_as_a_prefix(api_client, user):
    TaskFactory(user=user, title="Budgeting workshop", description="")
    TaskFactory(user=user, title="Budget meeting", description="")

    assert api_titles(api_client, "budg") == [
        ("task", "Budget meeting"),
        ("task", "Budgeting workshop"),
    ]
    assert api_titles(api_client, "budg meet") == [("task", "Budget meeting")]
    assert api_titles(api_client, "xyzzy") == []


def test_case_and_ukrainian_words(api_client, user):
    TaskFactory(user=user, title="Зателефонувати мамі", description="")
    TaskFactory(user=user, title="Купити ХЛІБ", description="")

    assert api_titles(api_client, "зателеф") == [("task", "Зателефонувати мамі")]
    assert api_titles(api_client, "хліб") == [("task", "Купити ХЛІБ")]


def test_only_your_own_objects(api_client, user, other_user):
    TaskFactory(user=other_user, title="Secret plan of theirs")
    entry = ProgressEntryFactory(goal=GoalFactory(user=other_user), note="secret note")
    assert entry.goal.user == other_user

    assert api_titles(api_client, "secret") == []


@pytest.mark.parametrize(
    "q",
    ["'", "a & b", "!!", "(x", "budget:*", "\\", "a | b <-> c", "%", "_", "' OR 1=1 --"],
)
def test_query_syntax_is_only_words(api_client, user, q):
    TaskFactory(user=user, title="Budget for x", description="a b c")

    response = api_client.get(API, {"q": q})

    assert response.status_code == 200
    assert response.json()["count"] in (0, 1)


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 201}])
def test_a_missing_or_oversized_query_is_a_400(api_client, params):
    response = api_client.get(API, params)

    assert response.status_code == 400
    assert "q" in response.json()


def test_needs_authentication(anon_client):
    assert anon_client.get(API, {"q": "x"}).status_code == 401


def test_pages_of_results(api_client, user):
    TaskFactory.create_batch(25, user=user, title="Repeat me")

    first = api_client.get(API, {"q": "repeat"}).json()
    second = api_client.get(first["next"]).json()

    assert first["count"] == 25
    assert len(first["results"]) == 20
    assert len(second["results"]) == 5
    ids = {hit["id"] for hit in first["results"]} | {hit["id"] for hit in second["results"]}
    assert len(ids) == 25


def test_the_api_costs_the_same_queries_for_5_or_50_hits(
    api_client, user, django_assert_num_queries
):
    TaskFactory.create_batch(5, user=user, title="Cheap search")
    api_client.get(API, {"q": "cheap"})  # the token's user is cached after the first request
    # the count, the page: one UNION over the four kinds each
    with django_assert_num_queries(2):
        api_client.get(API, {"q": "cheap"})
    TaskFactory.create_batch(45, user=user, title="Cheap search")
    with django_assert_num_queries(2):
        api_client.get(API, {"q": "cheap"})


def test_the_selector_gives_nothing_for_no_words(user):
    TaskFactory(user=user, title="Anything")

    assert list(search(user=user, query="  ,,, ")) == []


# --- The web page and the header's box ----------------------------------------------------


def test_the_results_page_works_without_javascript(web_client, user):
    task = TaskFactory(user=user, title="Plan the garden", description="")

    response = web_client.get(reverse("search:results"), {"q": "garden"})

    assert response.status_code == 200
    assert not is_fragment(response)
    assert f'href="/tasks/{task.pk}/edit"'.encode() in response.content
    assert b"1 result for" in response.content


def test_typing_in_the_page_swaps_the_results_only(web_client, user):
    TaskFactory(user=user, title="Plan the garden", description="")

    response = web_client.get(reverse("search:results"), {"q": "gard"}, **HTMX)

    assert is_fragment(response)
    assert b'id="search-results"' in response.content
    assert b"Plan the garden" in response.content


def test_the_header_box_suggests_the_best_few(web_client, user):
    TaskFactory.create_batch(12, user=user, title="Garden chore", description="")

    response = web_client.get(reverse("search:results"), {"q": "garden", "in": "header"}, **HTMX)

    assert is_fragment(response)
    assert b'id="header-search-results"' in response.content
    assert response.content.count(b"Garden chore") == 8
    assert b"All 12 results" in response.content


def test_every_page_has_the_search_box(web_client):
    response = web_client.get(reverse("dashboard"))

    assert b'role="search"' in response.content
    assert b'id="header-search-q"' in response.content


def test_the_page_without_a_query_explains_itself(web_client):
    response = web_client.get(reverse("search:results"))

    assert response.status_code == 200
    assert b"Type a word" in response.content


def test_the_page_costs_fixed_queries(web_client, user, django_assert_num_queries):
    overhead = request_overhead(web_client)
    TaskFactory.create_batch(3, user=user, title="Counted", description="")
    # the count, the page
    with django_assert_num_queries(overhead + 2):
        web_client.get(reverse("search:results"), {"q": "counted"})
    TaskFactory.create_batch(30, user=user, title="Counted", description="")
    with django_assert_num_queries(overhead + 2):
        web_client.get(reverse("search:results"), {"q": "counted"})


def test_the_page_needs_login(client):
    response = client.get(reverse("search:results"), {"q": "x"})

    assert response.status_code == 302


@pytest.mark.postgres
def test_the_task_search_can_read_the_full_text_index():
    from django.contrib.postgres.search import SearchQuery

    from search.documents import CONFIG, document
    from tasks.models import Task

    matches = Task.objects.annotate(found=document("title", "description")).filter(
        found=SearchQuery("garden:*", config=CONFIG, search_type="raw")
    )
    with connection.cursor() as cursor:
        # A test table is tiny: turn the table scan off to see whether the planner *can* use
        # the index, i.e. whether the search's document is exactly the indexed expression.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = matches.explain()

    assert "search_task_document_idx" in plan
