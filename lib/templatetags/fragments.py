"""`{% cachedfragment "name" part … %}…{% endcachedfragment %}`: a part of a signed-in user's
page, rendered once and then answered from the cache until any of their data changes.

The key holds the user's version token (`lib.user_version`: every write bumps it), the active
language and time zone, and the parts given: whatever else the fragment shows that is not the
user's data (their today, the address its forms return to, their name). CSRF tokens are never
cached: the fragment is rendered with a placeholder in their place, and each answer puts the
request's own token in. Anything per request (messages, CSP nonces) stays outside.

Values the fragment alone needs are best passed lazily by the view (querysets, a paginator's
page in `SimpleLazyObject`), so a hit runs none of their queries.
"""

import hashlib

from django import template
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from lib.user_version import current_version

register = template.Library()

# Stands for the CSRF token in cached HTML. Autoescaped text can never produce a raw "<", so
# no user data can be taken for it.
CSRF_PLACEHOLDER = mark_safe("<!--csrf-token-->")
# Entries of an old version are unreachable at once; this only bounds how long they stay.
FRAGMENT_TTL = 10 * 60


class CachedFragmentNode(template.Node):
    def __init__(self, name: str, parts: list[template.base.FilterExpression], nodelist):
        self.name = name
        self.parts = parts
        self.nodelist = nodelist

    def render(self, context) -> SafeString:
        request = context.get("request")
        if request is None or not request.user.is_authenticated:
            return self.nodelist.render(context)
        varies = (
            translation.get_language(),
            timezone.get_current_timezone_name(),
            *(part.resolve(context) for part in self.parts),
        )
        digest = hashlib.blake2s(repr(varies).encode(), digest_size=8).hexdigest()
        user_id = request.user.pk
        key = f"fragment:{user_id}:{current_version(user_id)}:{self.name}:{digest}"
        html = cache.get(key)
        if html is None:
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                html = str(self.nodelist.render(context))
            cache.set(key, html, FRAGMENT_TTL)
        # Nested in another fragment, the token here is that fragment's placeholder again.
        token = conditional_escape(context.get("csrf_token", ""))
        return mark_safe(html.replace(CSRF_PLACEHOLDER, token))  # noqa: S308 - rendered HTML


@register.tag
def cachedfragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cachedfragment needs a name")
    name = bits[1].strip("\"'")
    parts = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(name, parts, nodelist)
