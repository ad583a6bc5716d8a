"""Who sees which messages of the outbox, and the page's list."""

from django.db.models import QuerySet

from hub.outbox.models import Message, State
from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER, roles_of
from hub.selectors import scope_for

EVERY_MESSAGE = frozenset({TRAINER, STATE_STAFF})  # the Hub's own staff: families' messages too
BY_DISTRICT = frozenset({COORDINATOR, REGIONAL_STAFF})  # the messages concerning their districts' people


def may_read_outbox(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(roles_of(user) & (EVERY_MESSAGE | BY_DISTRICT))


def messages_for(user, *, state: str = "") -> QuerySet[Message]:
    """The messages this person may see, newest first: every one for trainers and state staff; for
    coordinators (and regional staff) only those concerning people of the districts in their scope
    (`hub.selectors.scope_for`). Messages to families concern no district: staff only."""
    messages = Message.objects.select_related("person__user", "district")
    if not may_read_outbox(user):
        return messages.none()
    if not (user.is_superuser or roles_of(user) & EVERY_MESSAGE):
        messages = messages.filter(district__in=scope_for(user))
    if state:
        messages = messages.filter(state=state)
    return messages


def state_counts(messages: QuerySet[Message]) -> dict[str, int]:
    from django.db.models import Count

    found = dict(messages.order_by().values_list("state").annotate(n=Count("pk")))
    return {value: found.get(value, 0) for value, _ in State.choices}
