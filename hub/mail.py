"""Email the Hub sends, in one place: the Hub's own links and the two ways a message leaves.

- `mail_on_commit`: after the change that causes the message commits (a registration, a sign-up);
  a rolled-back change sends nothing.
- `mail_send`: now (a scheduled job that records what it sent in the same transaction); with
  `quiet=True` a failing relay is logged and reported as False instead of raised.

Links in messages come from `absolute_url`, built on `SITE_URL` (`WAGTAILADMIN_BASE_URL`), never a
hard-coded host.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return f"{settings.WAGTAILADMIN_BASE_URL.rstrip('/')}{path}"


def mail_send(*, to: str, subject: str, body: str, quiet: bool = False) -> bool:
    """Send one message now. Returns whether it went; raises on a relay failure unless `quiet`."""
    if not to:
        return False
    try:
        send_mail(subject, body, None, [to], fail_silently=False)
    except Exception:
        if not quiet:
            raise
        logger.exception("mail to %s failed", to.split("@")[-1])
        return False
    return True


def mail_on_commit(*, to: str, subject: str, body: str) -> None:
    """Send once the current transaction commits (nothing if it rolls back)."""
    if to:
        transaction.on_commit(lambda: mail_send(to=to, subject=subject, body=body))
