from django import template

from roundtable import formatting

register = template.Library()


@register.filter
def when(moment):
    """The date and time in New York, written the way the active language writes them."""
    return formatting.when(moment) if moment else ""


@register.filter
def time_only(moment):
    return formatting.time_only(moment) if moment else ""


@register.filter
def phone(digits: str) -> str:
    return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if digits and len(digits) == 10 else (digits or "")
