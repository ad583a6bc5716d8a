"""Reasons as codes, rendered for each reader.

A rule that can say no (may this person be given families here? is this module unlocked?) answers
with `Reason`s: a code and the facts behind it (which modules are left, who revoked, which district),
never a sentence. Each path renders them for its reader with `describe`:

- for the person themself ("You still have 2 LEAP 101 modules to finish: …"), or
- about them, for a coordinator or trainer ("Ana Ruiz still has 2 LEAP 101 modules to finish: …"),

in the reader's language (gettext, the active language). So the gate's refusal, the board's "why not",
My training and a reminder can never disagree: they are the same reasons, worded for whoever reads.

Each app registers the wording of its own codes (`reason_messages_register`) from its AppConfig, so
`hub` never imports the apps that ask the questions.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Reason:
    code: str
    params: Mapping = field(default_factory=dict)

    def __str__(self) -> str:
        return describe([self])[0]


# code -> (wording for the person themself, wording about them). Either may be a callable
# `(params) -> str` for wordings that depend on the facts (plural forms, optional parts).
Wording = str | Callable[[Mapping], str]
_messages: dict[str, tuple[Wording, Wording]] = {}


def reason_messages_register(messages: Mapping[str, tuple[Wording, Wording]]) -> None:
    _messages.update(messages)


def listing(items: Iterable[str]) -> str:
    """"A", "A and B", "A, B and C" in the active language."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


def day(value) -> str:
    """A day in a reason ("expired on March 3"; another year's with its year: hub.dates)."""
    from hub.dates import day_label

    return day_label(value)


def _render(wording: Wording, params: Mapping) -> str:
    if callable(wording):
        return str(wording(params))
    return str(wording) % params


def describe(reasons: Iterable[Reason], *, about: str | None = None) -> list[str]:
    """One sentence per reason: for the person themself (`about=None`), or about the person named."""
    out = []
    for reason in reasons:
        wordings = _messages.get(reason.code)
        if wordings is None:  # an unregistered code still says something a person can pass on
            out.append(f"{about + ': ' if about else ''}{reason.code.replace('_', ' ')}")
            continue
        params = {**reason.params, "name": about or ""}
        out.append(_render(wordings[0] if about is None else wordings[1], params))
    return out
