from django import template

from accounts.selectors import has_unverified_email

register = template.Library()


@register.simple_tag
def unverified_email(user) -> bool:
    """Whether `user` has an email address still to verify (two-factor needs none left)."""
    return has_unverified_email(user)
