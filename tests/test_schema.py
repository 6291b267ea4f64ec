"""The OpenAPI schema describes the contract's API (../shared/contract/API.md), spelled as there."""

import pytest

CONTRACT = {
    "/api/auth/signup": {"post"},
    "/api/auth/login": {"post"},
    "/api/auth/github": {"post"},
    "/api/auth/refresh": {"post"},
    "/api/auth/logout": {"post"},
    "/api/auth/me": {"get"},
    "/api/users/{id}": {"get", "put", "patch", "delete"},
    "/api/users/{id}/settings": {"get", "put", "patch"},
    "/api/pdps": {"get", "post"},
    "/api/pdps/{id}": {"get", "put", "patch", "delete"},
    "/api/pdps/{id}/report": {"get"},
    "/api/goals": {"get", "post"},
    "/api/goals/{id}": {"get", "put", "patch", "delete"},
    "/api/goals/{id}/progress": {"get", "post"},
    "/api/tasks": {"get", "post"},
    "/api/tasks/{id}": {"get", "put", "patch", "delete"},
    "/api/tasks/{id}/complete": {"post", "delete"},
    "/api/analytics/summary": {"get"},
    "/api/analytics/goals": {"get"},
    "/api/analytics/productivity": {"get"},
    "/api/analytics/export": {"get"},
    "/api/reports/{id}": {"get"},
    "/api/integrations": {"get"},
    "/api/integrations/{provider}": {"get", "delete"},
    "/api/integrations/github/sync": {"post"},
    "/api/integrations/github/sync/{id}": {"get"},
    "/api/integrations/github/repositories": {"get"},
    "/api/integrations/github/repositories/{id}": {"patch"},
    "/api/integrations/github/items": {"get"},
    "/api/integrations/github/mappings": {"get", "post"},
    "/api/integrations/github/mappings/{id}": {"delete"},
    "/api/calendar/feed": {"post"},
    "/api/calendar/app-passwords": {"get", "post"},
    "/api/calendar/app-passwords/{id}": {"delete"},
    "/api/search": {"get"},
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(("path", "methods"), CONTRACT.items())
def test_every_contract_endpoint_is_documented(schema, path, methods):
    assert path in schema["paths"]
    assert methods <= set(schema["paths"][path])


@pytest.mark.django_db
def test_the_schema_and_its_docs_are_served(client):
    assert client.get("/api/schema/", HTTP_ACCEPT="application/json").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_every_operation_documents_the_throttle_answer(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert "429" in operation["responses"], f"{method.upper()} {path}"


def test_operations_on_a_path_object_document_its_404(schema):
    # A nested list answers 404 when its parent task is missing (schemathesis ST103).
    for method in ("get", "post"):
        assert "404" in schema["paths"]["/api/tasks/{task_pk}/subtasks"][method]["responses"]


def test_field_errors_may_be_a_lists_errors_by_index(schema):
    # `{"labels": {"0": ["Invalid pk …"]}}` (schemathesis ST108).
    field_errors = schema["paths"]["/api/tasks"]["post"]["responses"]["400"]["content"]
    schema_of = field_errors["application/json"]["schema"]
    if "$ref" in schema_of:
        schema_of = schema["components"]["schemas"][schema_of["$ref"].rsplit("/", 1)[-1]]
    kinds = [option["type"] for option in schema_of["additionalProperties"]["anyOf"]]
    assert kinds == ["array", "object"]
