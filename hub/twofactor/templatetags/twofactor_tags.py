"""{% two_step_section %}: the "Two-step sign-in" section of the profile page."""

from django import template

from hub.twofactor.selectors import backup_codes_left, has_authenticator, second_factor_required

register = template.Library()


@register.inclusion_tag("twofactor/profile_section.html", takes_context=True)
def two_step_section(context):
    user = context["request"].user
    enrolled = has_authenticator(user)
    return {"enrolled": enrolled, "required": second_factor_required(user),
            "left": backup_codes_left(user) if enrolled else 0}
