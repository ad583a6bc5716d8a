"""What every message the Hub writes must be, checked on its outbox row: in the recipient's language,
with a text and an HTML part, its links built on the Hub's address (WAGTAILADMIN_BASE_URL), user text
escaped in the HTML part."""

import re

from django.conf import settings

BASE_URL = "https://hub.example.org"  # tests set WAGTAILADMIN_BASE_URL to it: no link may name another host
URL = re.compile(r"https?://[^\s\"<>']+")


def assert_written_for(message, *, language: str, subject: str, says: str, external: tuple[str, ...] = ()) -> None:
    """`message` (an `outbox.Message`) is written in `language`: its subject starts with `subject`, both
    parts say `says`, the HTML part declares the language; every link but the `external` ones (a
    trainer's video-call link) starts with the Hub's own address."""
    assert message.language == language, (message.language, message.subject)
    assert message.subject.startswith(subject), message.subject
    assert says in message.body_text, message.body_text
    assert message.body_html.strip(), "no HTML part"
    assert says in message.body_html, message.body_html
    assert f'<html lang="{language}">' in message.body_html
    links = URL.findall(message.body_text) + re.findall(r'href="([^"]+)"', message.body_html)
    own = [link for link in links if not link.startswith(external)] if external else links
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/"
    assert own, "no link to the Hub"
    assert all(link.startswith(base) for link in own), own


def assert_escaped(message, raw: str) -> None:
    """`raw` (markup someone typed as their name or a title) is text in the HTML part, never markup."""
    assert raw not in message.body_html, message.body_html
    assert raw.replace("<", "&lt;").replace(">", "&gt;") in message.body_html
