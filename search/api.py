from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from lib.api import error_responses

from .selectors import MAX_QUERY_LENGTH, hit, search


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_QUERY_LENGTH)


class HitSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["plan", "goal", "task", "checkin"])
    id = serializers.UUIDField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, found) -> str:
        return self.context["request"].build_absolute_uri(found.url)


class SearchView(generics.GenericAPIView):
    """Search your plans, goals, tasks and check-in notes."""

    serializer_class = HitSerializer
    filter_backends = []

    @extend_schema(
        summary="Search everything",
        description=(
            "Plans, goals, tasks and check-in notes matching every word of `q` (each a prefix), "
            "best match first: a match in a title ranks above one in a description or note. "
            "`type` is `plan`, `goal`, `task` or `checkin`; `url` is its page."
        ),
        parameters=[
            OpenApiParameter("q", str, required=True, description="The words to look for.")
        ],
        responses={200: HitSerializer(many=True), **error_responses(400, 401)},
    )
    def get(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = search(user=request.user, query=params.validated_data["q"])
        page = self.paginate_queryset(rows) or []
        hits = self.get_serializer([hit(row) for row in page], many=True)
        return self.get_paginated_response(hits.data)
