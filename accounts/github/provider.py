"""allauth's GitHub provider, with GitHub's host read from settings on every request.

allauth's own adapter fixes its URLs when its module is imported. Ours reads GITHUB_URL and
GITHUB_API_URL from SOCIALACCOUNT_PROVIDERS["github"] when it runs, so a GitHub Enterprise
host (or the fake GitHub the tests start on a free port) is honoured without a restart.
Settings swap it in through allauth's `provider_class` provider setting.
"""

from allauth.socialaccount.providers.github.provider import GitHubProvider as BaseGitHubProvider

from .views import GitHubOAuth2Adapter


class GitHubProvider(BaseGitHubProvider):
    # allauth imports `<package>.urls` and `<package>.views` for the login and callback views.
    package = "accounts.github"
    oauth2_adapter_class = GitHubOAuth2Adapter


provider_classes = [GitHubProvider]
