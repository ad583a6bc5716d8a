"""The browser journeys' mailbox: the Hub under test runs in its own daphne process, so Django's
`mail.outbox` (locmem) lives there, out of the test's reach. A journey that reads the mail the Hub sent
starts its server with this backend (EMAIL_BACKEND=tests.e2e.mailbox.EmailBackend,
HUB_TEST_MAILBOX=<folder>): Django's file backend, one file per connection, read back by `messages`."""

import email
import os
from email import policy
from pathlib import Path

from django.core.mail.backends import filebased

SEPARATOR = b"-" * 79


class EmailBackend(filebased.EmailBackend):
    def __init__(self, *args, **kwargs):
        kwargs["file_path"] = os.environ["HUB_TEST_MAILBOX"]
        super().__init__(*args, **kwargs)


def messages(folder: Path) -> list[email.message.EmailMessage]:
    """Every message written to `folder`, decoded (subject and body as text)."""
    found = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                found.append(email.message_from_bytes(chunk.strip(b"\n") + b"\n", policy=policy.default))
    return found
