from django import template

from tasks.forms import QuickAddForm

register = template.Library()


@register.simple_tag(takes_context=True)
def quick_add_form(context):
    """An empty quick-add form of the signed-in user, for the pages of apps below tasks (a
    goal's page) that offer the quick add: their views cannot import tasks."""
    return QuickAddForm(user=context["request"].user)
