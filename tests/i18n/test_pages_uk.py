# ruff: noqa: RUF001
"""A page of each kind of the core apps, rendered in Ukrainian with Cyrillic user data: no English
may be left (tests/i18n/pages.py says what counts)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.services import settings_for, update_settings
from goals.factories import GoalFactory, KeyResultFactory, ProgressEntryFactory
from goals.models import Measure
from plans.factories import PlanFactory
from plans.services import create_review, share_plan
from tests.i18n.pages import assert_no_untranslated

pytestmark = pytest.mark.django_db


@pytest.fixture
def ukrainian(web_client, user):
    update_settings(user_settings=settings_for(user), language="uk", timezone="Europe/Kyiv")
    user.name = "Олена Коваль"
    user.save(update_fields=["name"])
    return web_client


@pytest.fixture
def data(user):
    today = datetime.date.today()
    plan = PlanFactory(
        user=user,
        title="Мій план розвитку",
        description="Кар’єра і навчання",
        vision="Стати впевненою інженеркою.",
        start_date=today - datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=300),
    )
    metric = GoalFactory(
        user=user,
        plan=plan,
        title="Пробігти півмарафон",
        description="Бігати тричі на тиждень",
        measure=Measure.METRIC,
        unit="км",
        start_value=Decimal(5),
        target_value=Decimal("21.1"),
        current_value=Decimal(8),
        target_date=today + datetime.timedelta(days=400),
        target_outside_plan=True,
    )
    entry = ProgressEntryFactory(goal=metric, value=20, note="Перші вісім кілометрів")
    keyed = GoalFactory(
        user=user,
        plan=plan,
        title="Вивчити англійську",
        description="Щодня",
        measure=Measure.KEY_RESULTS,
    )
    result = KeyResultFactory(goal=keyed, title="Прочитати книжки", unit="книжок")
    manual = GoalFactory(user=user, plan=plan, title="Ранкові звички", description="Без телефону")
    review = create_review(plan=plan, went_well="Біг", went_badly="Сон", next="Більше відпочинку")
    share_plan(plan=plan)
    return {
        "plan": plan,
        "metric": metric,
        "entry": entry,
        "keyed": keyed,
        "result": result,
        "manual": manual,
        "review": review,
    }


def _pages(data):
    plan, metric, keyed = data["plan"], data["metric"], data["keyed"]
    return {
        "dashboard": reverse("dashboard"),
        "settings": reverse("accounts:settings"),
        "account delete": reverse("accounts:delete"),
        "plan list": reverse("plans:list"),
        "plan detail": reverse("plans:detail", args=[plan.pk]),
        "plan new": reverse("plans:create"),
        "plan edit": reverse("plans:edit", args=[plan.pk]),
        "plan delete": reverse("plans:delete", args=[plan.pk]),
        "review new": reverse("plans:review_create", args=[plan.pk]),
        "review": reverse("plans:review", args=[plan.pk, data["review"].pk]),
        "goal list": reverse("goals:list"),
        "goal new": reverse("goals:create"),
        "goal detail (metric)": reverse("goals:detail", args=[metric.pk]),
        "goal detail (key results)": reverse("goals:detail", args=[keyed.pk]),
        "goal detail (manual)": reverse("goals:detail", args=[data["manual"].pk]),
        "goal edit": reverse("goals:edit", args=[metric.pk]),
        "goal delete": reverse("goals:delete", args=[metric.pk]),
        "key result edit": reverse("goals:key_result_edit", args=[keyed.pk, data["result"].pk]),
        "check-in edit": reverse("goals:check_in_edit", args=[metric.pk, data["entry"].pk]),
        "not found": "/no-such-page/",
    }


PAGES = list(
    _pages(
        {
            key: type("X", (), {"pk": "00000000-0000-0000-0000-000000000000"})
            for key in ("plan", "metric", "keyed", "manual", "review", "result", "entry")
        }
    )
)


@pytest.mark.parametrize("page", PAGES)
def test_signed_in_page_in_ukrainian(ukrainian, data, page):
    response = ukrainian.get(_pages(data)[page])
    assert response.status_code in {200, 404}
    html = response.content.decode()
    assert '<html lang="uk"' in html
    assert_no_untranslated(html)


@pytest.mark.parametrize("name", ["landing", "account_login", "account_signup"])
def test_public_page_in_ukrainian(client, name):
    html = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    assert '<html lang="uk"' in html
    assert_no_untranslated(html)


def test_shared_plan_in_ukrainian(client, data):
    plan = data["plan"]
    plan.refresh_from_db()
    html = client.get(
        reverse("plans:shared", args=[plan.share_token]), HTTP_ACCEPT_LANGUAGE="uk"
    ).content.decode()
    assert "Мій план розвитку" in html
    assert_no_untranslated(html)


def test_form_errors_in_ukrainian(ukrainian):
    response = ukrainian.post(reverse("plans:create"), {"title": "", "end_date": "не дата"})
    html = response.content.decode()
    assert "Це поле обов&#x27;язкове." in html
    assert_no_untranslated(html)
