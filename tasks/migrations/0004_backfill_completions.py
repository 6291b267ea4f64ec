"""Each task completed before completions were recorded gets its completion row, so the figures
(which now count completions) see the same history as before."""

from django.db import migrations


def record_completions(apps, schema_editor):
    Task = apps.get_model("tasks", "Task")
    TaskCompletion = apps.get_model("tasks", "TaskCompletion")
    done = Task.objects.filter(completed_at__isnull=False).values(
        "pk", "user_id", "completed_at", "due_date", "priority"
    )
    batch = []
    for row in done.iterator(chunk_size=2000):
        batch.append(
            TaskCompletion(
                task_id=row["pk"],
                user_id=row["user_id"],
                completed_at=row["completed_at"],
                due_date=row["due_date"],
                priority=row["priority"],
            )
        )
        if len(batch) == 2000:
            TaskCompletion.objects.bulk_create(batch)
            batch = []
    TaskCompletion.objects.bulk_create(batch)


def forget_completions(apps, schema_editor):
    apps.get_model("tasks", "TaskCompletion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("tasks", "0003_recurrence_labels_subtasks_reminders")]

    operations = [migrations.RunPython(record_completions, forget_completions)]
