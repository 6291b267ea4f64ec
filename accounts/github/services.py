"""Sign in to the API with GitHub, through allauth's own GitHub provider and social-login flow.

The web flow (allauth's views) and this API flow share the provider, its OAuth2 client, the
`/user` + `/user/emails` look-up and allauth's account matching, so both create or link
accounts identically: an existing GitHub connection signs in; otherwise an account whose
email GitHub reports *verified* is linked; otherwise a new account is made, unless its email
is already taken (GitHub's address is unverified then, and could be anyone's).
GitHub's token is used for the look-up and then dropped (SOCIALACCOUNT_STORE_TOKENS is off).
"""

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.internal.flows.manage_email import assess_unique_email
from allauth.account.utils import user_username
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.internal.flows.login import pre_social_login
from allauth.socialaccount.models import SocialApp, SocialLogin, SocialToken
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.core.exceptions import ValidationError
from django.db import transaction
from requests import HTTPError, RequestException

from accounts.models import User


class GitHubSignInError(Exception):
    """GitHub refused the code or token, or the account it leads to is deactivated."""


class GitHubAccountError(Exception):
    """GitHub vouched for someone, but no account can be made for them here. Says why."""


class GitHubUnavailable(Exception):
    """GitHub did not answer."""


class GitHubNotConfigured(Exception):
    """This server has no GitHub app: GitHub sign-in does not exist here."""


def sign_in_with_github(
    request,
    *,
    code: str | None = None,
    redirect_uri: str | None = None,
    access_token: str | None = None,
) -> User:
    """The account for this GitHub `code` (or access token), created or linked on first use."""
    sociallogin = _github_login(
        request, code=code, redirect_uri=redirect_uri, access_token=access_token
    )
    user = _account_for(request, sociallogin)
    if not user.is_active or user.is_deleted:
        raise GitHubSignInError("This account is deactivated.")
    return user


def _github_login(request, *, code, redirect_uri, access_token) -> SocialLogin:
    try:
        provider = get_social_adapter(request).get_provider(request, "github")
    except SocialApp.DoesNotExist:
        raise GitHubNotConfigured("GitHub sign-in is not configured on this server.") from None
    oauth = provider.get_oauth2_adapter(request)
    try:
        if code:
            client = oauth.get_client(request, provider.app)
            # GitHub compares it with the one sent to /authorize; sent only if the client gave one.
            client.callback_url = redirect_uri or ""
            token = oauth.parse_token(client.get_access_token(code))
        else:
            if not oauth.token_is_ours(provider.app, access_token):
                raise GitHubSignInError("This GitHub token was not issued to this application.")
            token = SocialToken(token=access_token)
        sociallogin = oauth.complete_login(request, provider.app, token)
    except OAuth2Error:
        raise GitHubSignInError(
            "GitHub did not accept this code: it is wrong, expired or already used."
        ) from None
    except HTTPError as exc:
        if exc.response is not None and exc.response.status_code in (401, 403):
            raise GitHubSignInError("GitHub did not accept this access token.") from None
        raise GitHubUnavailable("GitHub answered with an error; try again in a moment.") from None
    except RequestException:
        raise GitHubUnavailable("GitHub did not answer; try again in a moment.") from None
    sociallogin.token = token
    return sociallogin


@transaction.atomic
def _account_for(request, sociallogin: SocialLogin) -> User:
    # allauth's look-up: by the GitHub connection, then by a verified email.
    pre_social_login(request, sociallogin)
    if sociallogin.is_existing:
        # What allauth does before a social login: connect an account found by email, and wipe
        # its password if that email was never verified here (it may be an impostor's account).
        sociallogin._accept_login(request)
        return sociallogin.user

    social_adapter = get_social_adapter(request)
    if not social_adapter.is_open_for_signup(request, sociallogin):
        raise GitHubAccountError("Sign-up is closed.")
    email = sociallogin.email_addresses[0].email if sociallogin.email_addresses else None
    if not email:
        raise GitHubAccountError("GitHub shared no email address for this account.")
    if assess_unique_email(email) is not True:
        raise GitHubAccountError(
            "GitHub has not verified this email address, and it cannot be used for a new "
            "account. Sign in with your password and connect GitHub from your account."
        )
    user = sociallogin.user
    try:
        get_account_adapter(request).clean_username(user_username(user))
    except ValidationError:
        user_username(user, "")  # taken or not allowed here: allauth picks another
    social_adapter.save_user(request, sociallogin, form=None)
    return sociallogin.user
