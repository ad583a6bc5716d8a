"""Does a queued message still make sense? The rule of each thing a message can be about.

A message may name what it is about (`Message.about_type` / `about_id`: a family's sign-up, a
registration for a session, a certificate). The app that owns the thing registers, from its
`AppConfig.ready()`, a check for it: given the thing and the message's kind, the reason the message no
longer makes sense ("" when it does). The worker asks just before sending (`message_deliver`); a message
with a reason ends "skipped" with it, never sent and never retried. A thing that no longer exists is a
reason by itself. So `hub` never imports the apps above it: they tell it their rule (DESIGN.md).

    relevance_register("roundtable.familysignup", signup_still_relevant)
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType

Check = Callable[[object, str], str]  # (the thing, the message's kind) -> reason, "" when still relevant

_checks: dict[str, Check] = {}


def relevance_register(label: str, check: Check) -> None:
    """`label` is the model's "app_label.modelname" (lower case, as `ContentType` spells it)."""
    _checks[label.lower()] = check


def about_fields(about) -> dict:
    """`Message` fields for a message about `about` (a saved model instance, or None)."""
    if about is None or getattr(about, "pk", None) is None:
        return {}
    return {"about_type": ContentType.objects.get_for_model(about), "about_id": about.pk}


def irrelevance_reason(message) -> str:
    """Why `message` no longer makes sense because of what it is about ("" when it still does)."""
    if message.about_type_id is None or message.about_id is None:
        return ""
    kind = ContentType.objects.get_for_id(message.about_type_id)
    model = kind.model_class()
    if model is None:
        return ""  # an app no longer installed: nothing can say
    thing = model._default_manager.filter(pk=message.about_id).first()
    if thing is None:
        return f"What it was about was removed ({model._meta.verbose_name} {message.about_id})."
    check = _checks.get(f"{kind.app_label}.{kind.model}")
    return check(thing, message.kind) if check else ""
