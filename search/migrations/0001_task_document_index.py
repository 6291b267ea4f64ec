"""A GIN index on the tasks' full-text document (PostgreSQL only).

Tasks are the table that grows (thousands a user); plans, goals and check-ins stay small enough
to be read through their per-user indexes. The index lives here, with the search that uses it:
its expression is search.documents.document(), which the search compiles the same way.
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

from search.documents import document

INDEX = "search_task_document_idx"


def _index():
    return GinIndex(document("title", "description"), name=INDEX)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("tasks", "Task"), _index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("tasks", "Task"), _index())


class Migration(migrations.Migration):
    dependencies = [("tasks", "0002_task_list_order")]

    operations = [migrations.RunPython(create_index, drop_index)]
