"""Email the Hub sends, in one place: the Hub's own links, the message bodies, and the outbox.

Every message goes through the outbox (`hub.outbox`): a row written in the same transaction as the
change that causes it, sent by a task worker, retried with backoff while the relay fails. No page
waits for the mail relay or fails because of it.

- `mail_on_commit`: for a change (a registration, a sign-up): a rolled-back change sends nothing.
- `mail_send`: for a scheduled job; returns whether the message was queued (False without an address
  or when the same `key` is already queued). `quiet` is kept for its callers: the relay never raises
  here any more.

Both take optional keywords: `kind` (`hub.outbox.models.Kind`), `person` (the `hub.Person` it
concerns: coordinators see the messages of their district's people), `district`, `key` (an
idempotency key: the same notice is never queued twice), `html`, `language`. `mail_render` renders
`templates/<app>/email/<name>.txt` and `.html` in the recipient's language.

Links in messages come from `absolute_url`, built on `SITE_URL` (`WAGTAILADMIN_BASE_URL`), never a
hard-coded host.
"""

from django.conf import settings
from django.template.exceptions import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


def absolute_url(path: str) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def mail_render(name: str, context: dict, *, language: str = "") -> tuple[str, str]:
    """(text, html) of `<name>.txt` and `<name>.html` (e.g. "roundtable/email/signed_up") in
    `language` (the current one when empty). The HTML part is optional."""
    with translation.override(language or translation.get_language()):
        text = render_to_string(f"{name}.txt", context).strip() + "\n"
        try:
            html = render_to_string(f"{name}.html", context)
        except TemplateDoesNotExist:
            html = ""
    return text, html


def _queue(*, to: str, subject: str, body: str, **options):
    from hub.outbox.services import message_queue

    return message_queue(to=to, subject=str(subject), body=body, **options)


def mail_send(*, to: str, subject: str, body: str, quiet: bool = False, **options) -> bool:
    """Queue one message now (in the current transaction). Returns whether it was queued."""
    return _queue(to=to, subject=subject, body=body, **options) is not None


def mail_many_on_commit(messages: list[dict]) -> None:
    """Queue many messages (each a dict of `mail_on_commit`'s keywords) with the current transaction, in
    a constant number of queries: for imports that tell thousands of people at once."""
    from hub.outbox.services import messages_queue

    messages_queue(messages)


def mail_on_commit(*, to: str, subject: str, body: str, **options) -> None:
    """Queue one message with the current transaction: sent after it commits, never if it rolls back."""
    _queue(to=to, subject=subject, body=body, **options)
