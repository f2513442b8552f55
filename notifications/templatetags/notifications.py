from django import template

from notifications import services

register = template.Library()


@register.inclusion_tag("notifications/bell.html", takes_context=True)
def notification_bell(context):
    """The bell with the unread count; notifications.js keeps it live."""
    user = context["request"].user
    return {"unread": services.unread_count(user) if user.is_authenticated else 0}
