USER_FIELDS = {
    "id",
    "email",
    "username",
    "avatar_url",
    "github_connected",
    "created_at",
    "updated_at",
}


def login(client, email, password):
    return client.post("/api/auth/login", {"email": email, "password": password}, format="json")


def refresh(client, token):
    return client.post("/api/auth/refresh", {"refresh": token}, format="json")


def bearer(client, access):
    """The client, now sending this access token."""
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client
