from django import template

from hub.navigation import entrances, nav_items_for
from hub.roles import roles_of

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_items(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    current = getattr(request, "path", "")
    return [
        {"label": label, "url": url, "current": url == current or (url != "/" and current.startswith(url))}
        for label, url in nav_items_for(user)
    ]


@register.simple_tag(takes_context=True)
def user_roles(context):
    request = context.get("request")
    return sorted(roles_of(getattr(request, "user", None)))


@register.simple_tag
def home_entrances():
    return [{"label": label, "url": url, "lead": lead} for label, url, lead in entrances()]


@register.filter(name="day")
def day(value, style: str = "medium") -> str:
    """A date or datetime with its year only when it is not this year (hub.dates.day_label):
    `{{ start|day }}` "March 3", `{{ start|day:"long" }}` "Tuesday, March 3", `{{ d|day:"short" }}` "Mar 3"."""
    from hub.dates import day_label

    return day_label(value, style)
