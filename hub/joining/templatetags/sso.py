"""`{% sso_providers as providers %}`: the single sign-on buttons to show (none when none is configured)."""

from django import template

from hub.joining.selectors import sso_providers as _sso_providers

register = template.Library()


@register.simple_tag
def sso_providers() -> list[dict]:
    return _sso_providers()
