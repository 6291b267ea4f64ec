from allauth.socialaccount import app_settings
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.github.views import (
    GitHubOAuth2Adapter as BaseGitHubOAuth2Adapter,
)
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView

GITHUB_COM = "https://github.com"
GITHUB_COM_API = "https://api.github.com"


def _host_settings() -> dict:
    return app_settings.PROVIDERS.get("github", {})


def github_web_url() -> str:
    """GitHub's web host (GITHUB_URL): github.com, a GitHub Enterprise server, or a fake."""
    return (_host_settings().get("GITHUB_URL") or GITHUB_COM).rstrip("/")


def github_api_url() -> str:
    """GitHub's REST API root (GITHUB_API_URL), derived from the web host when unset."""
    configured = _host_settings()
    if configured.get("GITHUB_API_URL"):
        return configured["GITHUB_API_URL"].rstrip("/")
    # GitHub Enterprise serves its REST API under the web host; github.com on its own host.
    web_url = github_web_url()
    return GITHUB_COM_API if web_url == GITHUB_COM else f"{web_url}/api/v3"


class GitHubOAuth2Adapter(BaseGitHubOAuth2Adapter):
    @property
    def web_url(self) -> str:
        return github_web_url()

    @property
    def api_url(self) -> str:
        return github_api_url()

    @property
    def access_token_url(self) -> str:
        return f"{self.web_url}/login/oauth/access_token"

    @property
    def authorize_url(self) -> str:
        return f"{self.web_url}/login/oauth/authorize"

    @property
    def profile_url(self) -> str:
        return f"{self.api_url}/user"

    @property
    def emails_url(self) -> str:
        return f"{self.api_url}/user/emails"

    def token_is_ours(self, app, token: str) -> bool:
        """Whether GitHub issued `token` to our OAuth app, not to some other app.

        A token from another app proves nothing to us: that app's owner could replay any of its
        users' tokens here. GitHub's "check a token" endpoint answers 404 for those.
        """
        with get_adapter().get_requests_session() as session:
            response = session.post(
                f"{self.api_url}/applications/{app.client_id}/token",
                auth=(app.client_id, app.secret),
                json={"access_token": token},
                headers={"Accept": "application/vnd.github+json"},
            )
        if response.status_code in (404, 422):
            return False
        response.raise_for_status()
        return True


oauth2_login = OAuth2LoginView.adapter_view(GitHubOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(GitHubOAuth2Adapter)
