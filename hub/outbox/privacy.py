"""What the outbox holds (registered into hub.privacy from OutboxConfig.ready()).

A message holds its recipient's address and a body that may name them: found through the person it
concerns and the person's addresses (a family's messages: `roundtable.privacy`). Erasure blanks the address, subject and bodies
(the row stays as a count of what was sent); a message still queued then ends "skipped" when its
worker reaches it, never sent to an erased person.
"""

from hub.privacy.registry import PERSON, anonymise, holding_register

REMOVED = "(removed)"
FIELDS = [("Sent to", "recipient"), ("Kind", "kind"), ("Subject", "subject"), ("State", "state"),
          ("Queued", "created_at"), ("Sent", "sent_at"), ("Text", "body_text")]
ERASE = anonymise(recipient="", subject=REMOVED, body_text=REMOVED, body_html="")


def _of_person(subject):
    from django.db.models import Q

    from hub.outbox.models import Message

    where = Q(person__user=subject.user)
    if subject.emails:
        where |= Q(recipient__in=subject.emails)
    return Message.objects.filter(where)


holding_register("outbox.Message", subject=PERSON, find=_of_person, covers=("person",), fields=FIELDS,
                 section="Emails the Hub sent you", erase=ERASE,
                 reason="The record of what was sent stays as a count; the address and the words go.")
# A family's messages are registered by roundtable (it knows the addresses a family signed up with).
