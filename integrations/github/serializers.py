from rest_framework import serializers

from goals.models import Goal
from lib.serializers import OwnedPrimaryKeyRelatedField

from .models import GoalMapping, Item, Repository, SyncRun


class RepositorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Repository
        fields = ["id", "github_id", "full_name", "html_url", "private", "selected"]
        read_only_fields = ["id", "github_id", "full_name", "html_url", "private"]
        extra_kwargs = {"selected": {"help_text": "Import issues and pull requests from it."}}


class SyncJobSerializer(serializers.ModelSerializer):
    """A sync, in the contract's `job` shape (no file: `format` and `download_url` are null)."""

    kind = serializers.SerializerMethodField()
    format = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = SyncRun
        fields = [
            "id",
            "kind",
            "format",
            "status",
            "created_at",
            "finished_at",
            "download_url",
            "error",
            "trigger",
            "imported",
            "updated",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "imported": {"help_text": "Issues and pull requests imported as new tasks."},
            "updated": {"help_text": "Linked ones that changed on GitHub since."},
        }

    def get_kind(self, run) -> str:
        return "github_sync"

    def get_format(self, run) -> str | None:
        return None

    def get_download_url(self, run) -> str | None:
        return None


class ItemSerializer(serializers.ModelSerializer):
    repository = serializers.CharField(source="repository.full_name", read_only=True)

    class Meta:
        model = Item
        fields = [
            "id",
            "task",
            "repository",
            "number",
            "kind",
            "title",
            "html_url",
            "state",
            "assigned",
            "merged_at",
            "evidence_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "task": {"help_text": "The task it was imported as."},
            "assigned": {"help_text": "False once you are no longer among its assignees."},
            "evidence_at": {"help_text": "When its merge was written to the goal, if it was."},
        }


class GoalMappingSerializer(serializers.ModelSerializer):
    goal = OwnedPrimaryKeyRelatedField(
        Goal, allow_null=False, default=serializers.empty, help_text="One of your goals."
    )

    class Meta:
        model = GoalMapping
        fields = ["id", "kind", "name", "goal"]
