import datetime

import pytest
from django.core.exceptions import ValidationError

from plans import services
from plans.factories import PlanFactory
from plans.models import Plan

pytestmark = pytest.mark.django_db


def test_editing_a_plan_read_before_another_edit_keeps_the_other_fields(user):
    plan = PlanFactory(user=user, title="Draft", vision="")
    stale = Plan.objects.get(pk=plan.pk)
    services.update_plan(plan=Plan.objects.get(pk=plan.pk), vision="Lead a team")

    services.update_plan(plan=stale, title="Final")

    plan.refresh_from_db()
    assert (plan.title, plan.vision) == ("Final", "Lead a team")


def test_an_update_is_validated_with_the_stored_fields(user):
    plan = PlanFactory(user=user, start_date=datetime.date(2026, 5, 1), end_date=None)

    with pytest.raises(ValidationError) as error:
        services.update_plan(plan=plan, end_date=datetime.date(2026, 4, 1))

    assert "end_date" in error.value.message_dict
    plan.refresh_from_db()
    assert plan.end_date is None
