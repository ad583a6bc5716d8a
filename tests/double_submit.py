"""Helpers for the double-submit tests: the hidden fields of a rendered form, and N real threads sending
the same request at once (PostgreSQL; each thread has its own connection and transaction)."""

import threading
from html.parser import HTMLParser

from django.db import close_old_connections, connection


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []  # {"action": ..., "hidden": {name: value}}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                               "hidden": {}})
        elif tag == "input" and self.forms and (attrs.get("type") or "").lower() == "hidden" and attrs.get("name"):
            self.forms[-1]["hidden"][attrs["name"]] = attrs.get("value") or ""


def hidden_fields(page, *, action: str | None = None) -> dict[str, str]:
    """The hidden inputs of the page's one POST form that carries a one-time token (`form_token` or a
    discussion `client_id`), or of the POST form whose action is `action`; csrf left out."""
    if isinstance(page, bytes):
        page = page.decode()
    elif hasattr(page, "content"):
        page = page.content.decode()
    parser = _Forms()
    parser.feed(page)
    forms = [f for f in parser.forms if f["method"] == "post"]
    if action is not None:
        forms = [f for f in forms if f["action"] == action]
    else:
        forms = [f for f in forms if {"form_token", "client_id"} & set(f["hidden"])]
    assert len(forms) == 1, f"expected one such form, found {len(forms)}: {[f['action'] for f in forms]}"
    return {k: v for k, v in forms[0]["hidden"].items() if k != "csrfmiddlewaretoken"}


def form_token(page, *, action: str | None = None) -> str:
    token = hidden_fields(page, action=action).get("form_token", "")
    assert token, "the form carries no form_token"
    return token


def at_once(n: int, work) -> tuple[list, list[str]]:
    """Run `work(i)` in `n` threads released together; (results, failures as repr). PostgreSQL only: each
    thread opens (and closes) its own connection, so the n transactions really overlap."""
    barrier = threading.Barrier(n)
    results, failures = [], []

    def run(i):
        try:
            barrier.wait(timeout=10)
            results.append(work(i))
        except Exception as error:  # noqa: BLE001 - reported to the test
            failures.append(repr(error))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results, failures
