"""Who may read and post in which discussion room, and the reads the discussion pages need.

The rule, checked by the server when a socket joins a room, on every frame that acts in a room and on
every HTML request (`room_can_read`):

| room | who |
| --- | --- |
| community (statewide) | anyone a registered community predicate admits (courses: enrolled in LEAP 101), plus trainers, regional and state staff |
| region | people whose scope (`hub.selectors.scope_for`) touches a district of the region |
| district | people whose scope includes the district |
| live session | people a registered session predicate admits (the sessions app), plus trainers; only between `opens_at` and `closes_at` |
| practitioners | people a registered practitioner predicate admits (courses: a current LEAP 101 certificate, the rule the assignment gate asks), plus trainers and state staff |
| training cohort | people a registered session predicate admits for the room's reference (sessions: registered for that LEAP 101 live training), plus trainers; never closes |
| trainers | trainers and state staff |
| coordinators | coordinators, regional and state staff |

Superusers count as state staff. Inactive and anonymous users read nothing. Posting needs reading.

`hub` sits below `courses` and `sessions`, so those apps tell the discussion space who belongs through
the registries below, from their AppConfig.ready():
- `community_member_register(predicate)`: `predicate(*, user) -> bool`, who may read the statewide
  community room (courses registers "enrolled in LEAP 101");
- `session_member_register(predicate)`: `predicate(*, user, external_refs) -> iterable of refs`, who may
  read the rooms of live sessions and training cohorts (the sessions app registers "registered for this
  occurrence");
- `practitioner_member_register(predicate)`: `predicate(*, user) -> bool`, who may read the practitioners'
  room (courses registers "holds a current certificate", `CertificationStatus.is_current`).

Membership is never stored: it is asked afresh on every join, frame and page, so it changes the moment what
it follows changes. The services that change it (a certificate issued, revoked or reinstated, a role, a
registration given up) call `hub.sockets.access_changed`, and open sockets leave what they may no longer read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hub.discussion.models import Message, Room, RoomMembership
from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER, roles_of
from hub.selectors import scope_for

PAGE_SIZE = 50
CATCH_UP_LIMIT = 200

MODERATOR_ROLES = frozenset({TRAINER, COORDINATOR})


_community_predicates: dict[str, Callable] = {}
_session_predicates: dict[str, Callable] = {}
_practitioner_predicates: dict[str, Callable] = {}


def _key(func: Callable) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def community_member_register(predicate: Callable) -> Callable:
    """Register `predicate(*, user) -> bool`: who may read the statewide community room."""
    _community_predicates[_key(predicate)] = predicate
    return predicate


def session_member_register(predicate: Callable) -> Callable:
    """Register `predicate(*, user, external_refs: list[str]) -> iterable of the refs the user may read`."""
    _session_predicates[_key(predicate)] = predicate
    return predicate


def practitioner_member_register(predicate: Callable) -> Callable:
    _practitioner_predicates[_key(predicate)] = predicate
    return predicate


def practitioner_predicates() -> list[Callable]:
    return list(_practitioner_predicates.values())


def community_predicates() -> list[Callable]:
    return list(_community_predicates.values())


def session_predicates() -> list[Callable]:
    return list(_session_predicates.values())


@dataclass
class Access:
    """What one person may read, computed once (a handful of queries) and asked many times."""

    user: object
    roles: frozenset[str]
    superuser: bool
    district_ids: frozenset[int]
    region_ids: frozenset[int]
    _community: bool | None = None
    _practitioner: bool | None = None
    _session_refs: dict[str, bool] = field(default_factory=dict)

    @property
    def state_staff(self) -> bool:
        return self.superuser or STATE_STAFF in self.roles

    def community(self) -> bool:
        if self._community is None:
            self._community = (
                self.state_staff or bool(self.roles & {TRAINER, REGIONAL_STAFF})
                or any(predicate(user=self.user) for predicate in community_predicates())
            )
        return self._community

    def practitioner(self) -> bool:
        if self._practitioner is None:
            self._practitioner = (
                self.state_staff or TRAINER in self.roles
                or any(predicate(user=self.user) for predicate in practitioner_predicates())
            )
        return self._practitioner

    def session_refs(self, refs: list[str]) -> None:
        """Ask the session predicates about the refs not asked yet, in one call each."""
        missing = [ref for ref in refs if ref not in self._session_refs]
        if not missing:
            return
        allowed: set[str] = set()
        for predicate in session_predicates():
            allowed |= set(predicate(user=self.user, external_refs=missing))
        for ref in missing:
            self._session_refs[ref] = ref in allowed

    def can_read(self, room: Room, *, now: datetime | None = None) -> bool:
        kind = room.kind
        if kind == Room.Kind.DISTRICT:
            return room.district_id in self.district_ids
        if kind == Room.Kind.REGION:
            return room.region_id in self.region_ids
        if kind == Room.Kind.COMMUNITY:
            return self.community()
        if kind == Room.Kind.TRAINERS:
            return self.state_staff or TRAINER in self.roles
        if kind == Room.Kind.COORDINATORS:
            return self.state_staff or bool(self.roles & {COORDINATOR, REGIONAL_STAFF})
        if kind == Room.Kind.PRACTITIONERS:
            return self.practitioner()
        if kind in (Room.Kind.SESSION, Room.Kind.COHORT):
            if not room_is_open(room, now=now):
                return False
            if self.state_staff or TRAINER in self.roles:
                return True
            self.session_refs([room.external_ref])
            return self._session_refs.get(room.external_ref, False)
        return False

    def can_moderate(self, room: Room) -> bool:
        """Trainers and coordinators hide messages in the rooms they can read."""
        return bool(self.superuser or self.roles & MODERATOR_ROLES) and self.can_read(room)


def access_for(user) -> Access:
    """The person's access, read fresh from the database (roles, scope): 2-3 queries."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Access(user=user, roles=frozenset(), superuser=False, district_ids=frozenset(),
                      region_ids=frozenset(), _community=False, _practitioner=False)
    if hasattr(user, "_hub_roles"):
        del user._hub_roles  # roles may have changed since the socket connected
    districts = list(scope_for(user).values_list("id", "region_id"))
    return Access(
        user=user,
        roles=roles_of(user),
        superuser=user.is_superuser,
        district_ids=frozenset(d for d, _ in districts),
        region_ids=frozenset(r for _, r in districts),
    )


def room_is_open(room: Room, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if room.opens_at and now < room.opens_at:
        return False
    return not (room.closes_at and now > room.closes_at)


def room_can_read(*, user, room: Room, access: Access | None = None, now: datetime | None = None) -> bool:
    return (access or access_for(user)).can_read(room, now=now)


def rooms_readable(*, user, now: datetime | None = None) -> list[Room]:
    """The rooms the person may read, with `unread` (messages by others after their last read).

    A constant number of queries: access (3), the session predicates (one call each), the practitioner
    predicates (once), and one query for the rooms with their unread counts.
    """
    access = access_for(user)
    now = now or timezone.now()
    last_read = RoomMembership.objects.filter(room=OuterRef("pk"), user=user).values("last_read_id")[:1]
    rooms = list(
        Room.objects.exclude(kind=Room.Kind.SESSION, closes_at__lt=now)
        .exclude(kind=Room.Kind.SESSION, opens_at__gt=now)
        .select_related("region", "district")
        .annotate(last_read=Coalesce(Subquery(last_read, output_field=IntegerField()), Value(0)))
        .annotate(unread=Count("messages", filter=Q(
            messages__id__gt=F("last_read"), messages__deleted_at__isnull=True,
            messages__hidden_at__isnull=True) & ~Q(messages__author=user)))
        .order_by("kind", "title")
    )
    access.session_refs([room.external_ref for room in rooms if room.kind in (Room.Kind.SESSION, Room.Kind.COHORT)])
    order = [Room.Kind.COMMUNITY, Room.Kind.PRACTITIONERS, Room.Kind.REGION, Room.Kind.DISTRICT, Room.Kind.SESSION,
             Room.Kind.COHORT, Room.Kind.TRAINERS, Room.Kind.COORDINATORS]
    readable = [room for room in rooms if access.can_read(room, now=now)]
    return sorted(readable, key=lambda room: (order.index(room.kind), room.title))


def room_messages(*, room: Room, before: int | None = None, since: int | None = None,
                  limit: int = PAGE_SIZE) -> tuple[list[Message], bool]:
    """A page of a room's messages, oldest first, and whether there are more in that direction.

    - `before`: the `limit` messages just before that id (older history, on demand);
    - `since`: the first `limit` messages after that id (a reconnecting client's catch-up);
    - neither: the latest `limit` messages.
    """
    base = Message.objects.filter(room=room).select_related("author", "hidden_by")
    if since is not None:
        page = list(base.filter(id__gt=since).order_by("id")[: limit + 1])
        more = len(page) > limit
        return page[:limit], more
    if before is not None:
        base = base.filter(id__lt=before)
    page = list(base.order_by("-id")[: limit + 1])
    more = len(page) > limit
    return list(reversed(page[:limit])), more


def room_unread(*, room: Room, user) -> int:
    last = RoomMembership.objects.filter(room=room, user=user).values_list("last_read_id", flat=True).first() or 0
    return (Message.objects.filter(room=room, id__gt=last, deleted_at__isnull=True, hidden_at__isnull=True)
            .exclude(author=user).count())


def rooms_by_slug(slugs: list[str]) -> QuerySet[Room]:
    return Room.objects.filter(slug__in=slugs)


def message_mention_reason(message: Message, kind: str) -> str:
    """Why a queued mention email about this message no longer makes sense ("" when it does): the
    message was deleted or hidden by a moderator meanwhile (asked by the outbox just before sending)."""
    if message.deleted_at is not None:
        return "The message was deleted."
    if message.hidden_at is not None:
        return "The message was hidden by a moderator."
    return ""
