"""No body of any shape, type or size makes the accounts API answer a 500."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "x" * 200_000

BAD_BODIES = {
    "invalid-json": '{"email": "a@example.com", ',
    "array": '[{"email": "a@example.com"}]',
    "string": '"hello"',
    "number": "42",
    "null": "null",
    "wrong-types": (
        '{"email": ["a@example.com"], "password": {"x": 1}, "username": 7, "refresh": [1],'
        ' "timezone": 5, "language": false, "week_start": "soon", "theme": [],'
        ' "email_notifications": "perhaps", "current_password": null, "new_password": 3}'
    ),
    "huge-strings": (
        f'{{"email": "{HUGE}@example.com", "password": "{HUGE}", "username": "{HUGE}",'
        f' "refresh": "{HUGE}", "timezone": "{HUGE}", "language": "{HUGE}", "theme": "{HUGE}",'
        f' "current_password": "{HUGE}", "new_password": "{HUGE}"}}'
    ),
    "nul-characters": (
        '{"email": "a\\u0000@example.com", "password": "p\\u0000w", "username": "a\\u0000b",'
        ' "refresh": "a\\u0000b", "timezone": "Europe/\\u0000", "language": "e\\u0000"}'
    ),
}

ANONYMOUS = [
    ("post", "/api/auth/signup"),
    ("post", "/api/auth/login"),
    ("post", "/api/auth/refresh"),
    ("post", "/api/auth/logout"),
]
SIGNED_IN = [
    ("post", "/api/auth/password"),
    ("put", "/api/users/{id}"),
    ("patch", "/api/users/{id}"),
    ("put", "/api/users/{id}/settings"),
    ("patch", "/api/users/{id}/settings"),
]


def send(client, method, path, body):
    return getattr(client, method)(path, body, content_type="application/json")


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
@pytest.mark.parametrize(("method", "path"), ANONYMOUS)
def test_anonymous_endpoints_answer_400_to_bad_bodies(anon_client, method, path, body):
    response = send(anon_client, method, path, body)

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
@pytest.mark.parametrize(("method", "path"), SIGNED_IN)
def test_signed_in_endpoints_answer_400_to_bad_bodies(api_client, user, method, path, body):
    response = send(api_client, method, path.format(id=user.pk), body)

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"


def test_a_form_encoded_body_with_the_wrong_fields_is_a_400(anon_client):
    response = anon_client.post("/api/auth/login", {"username": "someone"})

    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_an_unsupported_content_type_is_a_415(anon_client):
    response = anon_client.post("/api/auth/login", "<x/>", content_type="application/xml")

    assert response.status_code == 415
