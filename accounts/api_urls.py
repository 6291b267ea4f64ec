from django.urls import re_path

from . import api, api_github

# Each path answers with or without a trailing slash, like the routers of the other apps.
urlpatterns = [
    re_path(r"^auth/signup/?$", api.SignupView.as_view(), name="api-signup"),
    re_path(r"^auth/login/?$", api.LoginView.as_view(), name="api-login"),
    re_path(r"^auth/login/mfa/?$", api.MFALoginView.as_view(), name="api-login-mfa"),
    re_path(r"^auth/github/?$", api_github.GitHubLoginView.as_view(), name="api-github"),
    re_path(r"^auth/refresh/?$", api.RefreshView.as_view(), name="api-refresh"),
    re_path(r"^auth/logout/?$", api.LogoutView.as_view(), name="api-logout"),
    re_path(r"^auth/password/?$", api.PasswordChangeView.as_view(), name="api-password"),
    re_path(r"^auth/me/?$", api.MeView.as_view(), name="api-me"),
    re_path(
        r"^users/(?P<id>[^/]+)/settings/?$",
        api.UserSettingsView.as_view(),
        name="api-user-settings",
    ),
    re_path(r"^users/(?P<id>[^/]+)/?$", api.UserDetailView.as_view(), name="api-user"),
]
