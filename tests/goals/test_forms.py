import pytest

from goals import services
from goals.factories import GoalFactory
from goals.forms import GoalForm
from goals.models import Status
from lib.web import edit_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (Status.ACTIVE, Status.COMPLETED),
        (Status.COMPLETED, Status.ACTIVE),
        (Status.COMPLETED, Status.ON_HOLD),
    ],
)
def test_a_status_change_is_valid_in_the_form_and_saved_consistently(user, before, after):
    goal = GoalFactory(user=user, title="Run")
    services.update_goal(goal=goal, status=before)
    data = {"title": "Run", "domain": goal.domain, "status": after}

    form = edit_form(GoalForm, goal, data, user=user)

    assert form.is_valid(), form.errors
    services.update_goal(goal=goal, **form.cleaned_data)
    goal.refresh_from_db()
    assert (goal.status, goal.progress) == (after, 100)  # reopening keeps the progress made
    assert (goal.completed_at is not None) == (after == Status.COMPLETED)


def test_the_form_still_checks_its_own_fields(user):
    goal = GoalFactory(user=user)

    form = edit_form(GoalForm, goal, {"title": "", "domain": "nope", "status": "done"}, user=user)

    assert not form.is_valid()
    assert set(form.errors) == {"title", "domain", "status"}
