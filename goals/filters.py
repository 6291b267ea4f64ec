from django_filters import rest_framework as filters

from .models import Domain, Goal, Status


class GoalFilter(filters.FilterSet):
    pdp = filters.UUIDFilter(field_name="plan", label="Only goals of the plan with this id.")
    status = filters.ChoiceFilter(choices=Status.choices, label="Only goals in this status.")
    domain = filters.ChoiceFilter(choices=Domain.choices, label="Only goals of this domain.")
    target_before = filters.DateFilter(
        field_name="target_date", lookup_expr="lte", label="Target date on or before (YYYY-MM-DD)."
    )
    target_after = filters.DateFilter(
        field_name="target_date", lookup_expr="gte", label="Target date on or after (YYYY-MM-DD)."
    )

    class Meta:
        model = Goal
        fields = ["pdp", "status", "domain", "target_before", "target_after"]
