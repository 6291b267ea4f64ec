"""The task pages' second round: quick add that reads natural language (with its preview),
the full form's time, repeat, labels and reminder, the labels page, the checklist."""

import datetime

import pytest
from django.urls import reverse

from tasks.factories import LabelFactory, SubtaskFactory, TaskFactory
from tasks.models import Label, Reminder, Subtask, Task
from tests.web import HTMX, is_fragment

pytestmark = pytest.mark.django_db

# A Wednesday.
NOW = datetime.datetime(2026, 3, 4, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


# --- Quick add -------------------------------------------------------------------------------


def test_quick_add_reads_the_line(web_client, user):
    response = web_client.post(
        reverse("tasks:quick_add"), {"title": "Call mom tomorrow 18:00 p1 #family"}, **HTMX
    )

    assert response.status_code == 200
    task = Task.objects.get()
    assert (task.title, task.due_date, task.due_time, task.priority) == (
        "Call mom",
        datetime.date(2026, 3, 5),
        datetime.time(18),
        1,
    )
    assert [label.name for label in task.labels.all()] == ["family"]
    html = response.content.decode()
    assert "Call mom" in html
    assert "family" in html
    assert "18:00" in html


def test_quick_add_uses_an_existing_label_in_any_letter_case(web_client, user):
    family = LabelFactory(user=user, name="Family")

    web_client.post(reverse("tasks:quick_add"), {"title": "Call mom #FAMILY"})

    assert list(Task.objects.get().labels.all()) == [family]
    assert Label.objects.count() == 1


def test_quick_add_of_a_repeating_task(web_client, user):
    web_client.post(reverse("tasks:quick_add"), {"title": "every monday review budget"})

    task = Task.objects.get()
    assert (task.title, task.recurrence, task.due_date) == (
        "review budget",
        "FREQ=WEEKLY;BYDAY=MO",
        datetime.date(2026, 3, 9),
    )


def test_quick_add_in_ukrainian(web_client, user):
    web_client.post(reverse("tasks:quick_add"), {"title": "Купити хліб завтра"})

    task = Task.objects.get()
    assert (task.title, task.due_date) == ("Купити хліб", datetime.date(2026, 3, 5))


def test_a_date_chosen_beside_the_line_wins(web_client, user):
    web_client.post(
        reverse("tasks:quick_add"), {"title": "Report tomorrow", "due_date": "2026-03-20"}
    )

    assert Task.objects.get().due_date == datetime.date(2026, 3, 20)


def test_a_line_with_only_a_date_asks_for_a_title_and_keeps_the_text(web_client, user):
    response = web_client.post(reverse("tasks:quick_add"), {"title": "tomorrow p1"}, **HTMX)

    assert response.status_code == 422
    html = response.content.decode()
    assert "Add a title as well" in html
    assert 'value="tomorrow p1"' in html
    assert not Task.objects.exists()


def test_the_preview_says_what_it_understood_as_one_types(web_client, user):
    LabelFactory(user=user, name="work")

    response = web_client.get(
        reverse("tasks:quick_add_preview"),
        {"title": "Report next fri 9:30 p2 #work #family"},
        **HTMX,
    )

    assert is_fragment(response)
    html = response.content.decode()
    assert "<strong>Report</strong>" in html
    assert "Fri Mar 13 09:30" in html
    assert "P2" in html
    assert '#family <span class="muted">(new)</span>' in html
    assert "#work <span" not in html
    assert not Task.objects.exists()


def test_the_preview_of_a_repeating_line_describes_the_rule(web_client, user):
    response = web_client.get(
        reverse("tasks:quick_add_preview"), {"title": "gym every mon and thu"}, **HTMX
    )

    assert "every week on Mon, Thu" in response.content.decode()


def test_without_javascript_preview_shows_a_page_and_saves_nothing(web_client, user):
    response = web_client.post(
        reverse("tasks:quick_add"), {"title": "Call mom tomorrow 18:00", "preview": "1"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Add this task?" in html
    assert 'value="Call mom tomorrow 18:00"' in html
    assert "Thu Mar 5 18:00" in html
    assert not Task.objects.exists()


# --- The full form ---------------------------------------------------------------------------


def test_the_new_task_page_takes_time_repeat_labels_and_a_reminder(web_client, user):
    family = LabelFactory(user=user, name="family")

    response = web_client.post(
        reverse("tasks:create"),
        {
            "title": "Gym",
            "priority": 3,
            "due_date": "2026-03-05",
            "due_time": "07:30",
            "recurrence": "every mon and thu",
            "labels": [family.pk],
            "remind_before": "30",
        },
    )

    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.recurrence, task.due_time) == ("FREQ=WEEKLY;BYDAY=MO,TH", datetime.time(7, 30))
    assert list(task.labels.all()) == [family]
    reminder = task.reminders.get()
    assert reminder.minutes_before == 30
    assert reminder.remind_at == datetime.datetime(2026, 3, 5, 7, tzinfo=datetime.UTC)


def test_an_rrule_works_in_the_repeat_field(web_client, user):
    web_client.post(
        reverse("tasks:create"),
        {
            "title": "Pay",
            "priority": 3,
            "due_date": "2026-03-31",
            "recurrence": "FREQ=MONTHLY;BYMONTHDAY=-1",
        },
    )

    assert Task.objects.get().recurrence == "FREQ=MONTHLY;BYMONTHDAY=-1"


@pytest.mark.parametrize(
    "repeat", ["sometimes", "FREQ=HOURLY", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30"]
)
def test_a_repeat_it_cannot_read_is_a_form_error_keeping_what_was_typed(web_client, user, repeat):
    response = web_client.post(
        reverse("tasks:create"),
        {"title": "Pay", "priority": 3, "due_date": "2026-03-31", "recurrence": repeat},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["recurrence"]
    assert "Pay" in response.content.decode()
    assert not Task.objects.exists()


def test_a_time_without_a_date_is_a_form_error(web_client, user):
    response = web_client.post(
        reverse("tasks:create"), {"title": "Call", "priority": 3, "due_time": "18:00"}
    )

    assert response.status_code == 422
    assert not Task.objects.exists()


def test_editing_a_recurring_task_asks_this_one_or_all_future(web_client, user):
    task = TaskFactory(
        user=user,
        title="Review",
        recurrence="FREQ=WEEKLY;BYDAY=MO",
        due_date=datetime.date(2026, 3, 9),
        recurrence_start=datetime.date(2026, 3, 9),
        occurrence_date=datetime.date(2026, 3, 9),
    )
    page = web_client.get(reverse("tasks:edit", args=[task.pk])).content.decode()
    assert "This occurrence only" in page
    assert "This and all future occurrences" in page

    data = {
        "title": "Review",
        "priority": 3,
        "due_date": "2026-03-10",
        "recurrence": task.recurrence,
    }
    web_client.post(reverse("tasks:edit", args=[task.pk]), {**data, "scope": "this"})

    task.refresh_from_db()
    assert (task.due_date, task.occurrence_date) == (
        datetime.date(2026, 3, 10),
        datetime.date(2026, 3, 9),
    )


def test_a_new_rule_for_this_occurrence_only_is_explained(web_client, user):
    task = TaskFactory(
        user=user,
        title="Review",
        recurrence="FREQ=WEEKLY;BYDAY=MO",
        due_date=datetime.date(2026, 3, 9),
        recurrence_start=datetime.date(2026, 3, 9),
    )

    response = web_client.post(
        reverse("tasks:edit", args=[task.pk]),
        {
            "title": "Review",
            "priority": 3,
            "due_date": "2026-03-09",
            "recurrence": "every day",
            "scope": "this",
        },
    )

    assert response.status_code == 422
    assert "applies to this and all future occurrences" in response.content.decode()
    task.refresh_from_db()
    assert task.recurrence == "FREQ=WEEKLY;BYDAY=MO"


def test_a_one_off_task_is_not_asked_about_occurrences(web_client, user):
    task = TaskFactory(user=user)

    assert (
        "This occurrence only"
        not in web_client.get(reverse("tasks:edit", args=[task.pk])).content.decode()
    )


def test_skipping_an_occurrence_from_the_edit_page(web_client, user):
    task = TaskFactory(
        user=user,
        recurrence="FREQ=DAILY",
        due_date=datetime.date(2026, 3, 4),
        recurrence_start=datetime.date(2026, 3, 4),
    )

    response = web_client.post(reverse("tasks:skip", args=[task.pk]))

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.due_date == datetime.date(2026, 3, 5)


def test_the_edit_page_lists_the_completions(web_client, user):
    task = TaskFactory(
        user=user,
        recurrence="FREQ=DAILY",
        due_date=datetime.date(2026, 3, 4),
        recurrence_start=datetime.date(2026, 3, 4),
    )
    web_client.post(reverse("tasks:toggle", args=[task.pk]), {"done": "true"})

    page = web_client.get(reverse("tasks:edit", args=[task.pk])).content.decode()

    assert "Mar 4, 2026, 10:00" in page
    assert "Repeats every day; next due Mar 5, 2026." in page


# --- The list's rows and the label filter -----------------------------------------------------


def test_a_row_shows_labels_checklist_time_and_repeat(web_client, user):
    family = LabelFactory(user=user, name="family", color="#2563eb")
    task = TaskFactory(
        user=user,
        title="Stretch",
        due_date=datetime.date(2026, 3, 4),
        due_time=datetime.time(7, 30),
        recurrence="FREQ=DAILY",
        recurrence_start=datetime.date(2026, 3, 4),
    )
    task.labels.add(family)
    SubtaskFactory(task=task, done=True)
    SubtaskFactory(task=task)

    html = web_client.get(reverse("tasks:list")).content.decode()

    assert "Due today 07:30" in html
    assert "every day" in html
    assert "1/2" in html
    assert 'fill="#2563eb"' in html
    assert f"?label={family.pk}" in html


def test_the_list_filters_by_label(web_client, user):
    family = LabelFactory(user=user)
    tagged = TaskFactory(user=user, title="Tagged")
    tagged.labels.add(family)
    TaskFactory(user=user, title="Plain")

    response = web_client.get(reverse("tasks:list"), {"label": family.pk})

    assert [task.title for task in response.context["tasks"]] == ["Tagged"]


def test_another_users_label_is_not_a_filter_choice(web_client, other_user):
    theirs = LabelFactory(user=other_user)
    TaskFactory(user=other_user)

    response = web_client.get(reverse("tasks:list"), {"label": theirs.pk})

    assert response.status_code == 200
    assert response.context["filters"].errors["label"]


# --- Labels page -----------------------------------------------------------------------------


def test_the_labels_page_adds_lists_and_refuses_a_taken_name(web_client, user):
    response = web_client.post(reverse("tasks:labels"), {"name": "Family", "color": "#2563eb"})
    assert response.status_code == 302
    assert Label.objects.get().name == "Family"

    again = web_client.post(reverse("tasks:labels"), {"name": "family", "color": "#000000"})

    assert again.status_code == 422
    assert "You already have a label with this name." in again.content.decode()
    assert Label.objects.count() == 1
    assert "Family" in web_client.get(reverse("tasks:labels")).content.decode()


def test_a_label_is_edited_in_place(web_client, user):
    label = LabelFactory(user=user, name="Work")
    url = reverse("tasks:label_edit", args=[label.pk])

    form = web_client.get(url, **HTMX)
    assert is_fragment(form)
    assert f'hx-post="{url}"' in form.content.decode()
    saved = web_client.post(url, {"name": "Office", "color": "#123456"}, **HTMX)

    assert "Office" in saved.content.decode()
    label.refresh_from_db()
    assert (label.name, label.color) == ("Office", "#123456")


def test_a_bad_colour_is_an_error_on_the_row(web_client, user):
    label = LabelFactory(user=user, name="Work")

    response = web_client.post(
        reverse("tasks:label_edit", args=[label.pk]), {"name": "Work", "color": "red"}, **HTMX
    )

    assert response.status_code == 422
    assert "#RRGGBB" in response.content.decode()


def test_deleting_a_label_keeps_its_tasks(web_client, user):
    label = LabelFactory(user=user)
    task = TaskFactory(user=user)
    task.labels.add(label)

    response = web_client.post(reverse("tasks:label_delete", args=[label.pk]), **HTMX)

    assert response.status_code == 200
    assert Task.objects.filter(pk=task.pk).exists()
    assert not Label.objects.exists()


@pytest.mark.parametrize("name", ["label_edit", "label_delete", "label_row"])
def test_another_users_label_is_a_404_on_the_web(web_client, other_user, name):
    label = LabelFactory(user=other_user)

    response = web_client.post(reverse(f"tasks:{name}", args=[label.pk]), {"name": "Mine"})

    assert response.status_code in (404, 405)
    label.refresh_from_db()
    assert label.name != "Mine"


# --- Checklist -------------------------------------------------------------------------------


def test_the_checklist_is_added_ticked_moved_and_deleted_in_place(web_client, user):
    task = TaskFactory(user=user)

    added = web_client.post(
        reverse("tasks:subtask_add", args=[task.pk]), {"title": "Buy paint"}, **HTMX
    )
    web_client.post(reverse("tasks:subtask_add", args=[task.pk]), {"title": "Paint"}, **HTMX)
    assert is_fragment(added)
    assert 'id="checklist"' in added.content.decode()
    first, second = Subtask.objects.order_by("position")

    ticked = web_client.post(
        reverse("tasks:subtask_toggle", args=[task.pk, first.pk]), {"done": "true"}, **HTMX
    )
    assert "1/2 done" in ticked.content.decode()
    web_client.post(
        reverse("tasks:subtask_move", args=[task.pk, second.pk]), {"direction": "up"}, **HTMX
    )
    assert list(Subtask.objects.order_by("position").values_list("title", flat=True)) == [
        "Paint",
        "Buy paint",
    ]
    web_client.post(reverse("tasks:subtask_delete", args=[task.pk, second.pk]), **HTMX)

    assert list(Subtask.objects.values_list("title", "done")) == [("Buy paint", True)]


def test_the_checklist_works_without_javascript(web_client, user):
    task = TaskFactory(user=user)
    back = reverse("tasks:edit", args=[task.pk])

    response = web_client.post(
        reverse("tasks:subtask_add", args=[task.pk]), {"title": "Step", "next": back}
    )

    assert response.status_code == 302
    assert response.url == back
    assert "Step" in web_client.get(back).content.decode()
    empty = web_client.post(
        reverse("tasks:subtask_add", args=[task.pk]), {"title": "", "next": back}
    )
    assert empty.status_code == 302
    assert "This field is required." in web_client.get(back).content.decode()


def test_another_users_checklist_is_a_404(web_client, other_user):
    task = TaskFactory(user=other_user)
    subtask = SubtaskFactory(task=task)

    for name, args in [
        ("subtask_add", [task.pk]),
        ("subtask_toggle", [task.pk, subtask.pk]),
        ("subtask_move", [task.pk, subtask.pk]),
        ("subtask_delete", [task.pk, subtask.pk]),
    ]:
        assert (
            web_client.post(
                reverse(f"tasks:{name}", args=args), {"title": "x", "done": "true"}
            ).status_code
            == 404
        )
    subtask.refresh_from_db()
    assert subtask.done is False


def test_reminders_show_on_the_edit_form(web_client, user):
    task = TaskFactory(user=user, due_date=datetime.date(2026, 3, 5))
    Reminder.objects.create(task=task, user=user, minutes_before=60)

    response = web_client.get(reverse("tasks:edit", args=[task.pk]))

    assert response.context["form"]["remind_before"].value() == "60"


def test_a_long_line_with_a_short_title_is_fine(web_client, user):
    labels = " ".join(f"#label{number}" for number in range(30))

    web_client.post(reverse("tasks:quick_add"), {"title": f"Plan the trip tomorrow {labels}"})

    task = Task.objects.get()
    assert task.title == "Plan the trip"
    assert task.labels.count() == 30
