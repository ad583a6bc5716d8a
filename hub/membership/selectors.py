"""Who a coordinator manages, and the moves waiting for them. Each question has one answer here."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from hub.membership.models import Departure
from hub.models import District, Person
from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER, VISITOR, roles_of
from hub.selectors import person_for

# A coordinator manages visitors only: never someone who also holds one of these roles.
STAFF_ROLES = (COORDINATOR, TRAINER, REGIONAL_STAFF, STATE_STAFF)


def managed_district(user) -> District | None:
    """The district whose visitors this user manages: a coordinator's home district, else None."""
    if user is None or not user.is_authenticated or not user.is_active or COORDINATOR not in roles_of(user):
        return None
    person = person_for(user)
    return person.home_district if person is not None and person.home_district_id else None


def visitor_refusal(person: Person) -> str | None:
    """Why a coordinator may not manage this person's account ("not_a_visitor"), or None."""
    user = person.user
    names = set(user.groups.values_list("name", flat=True))
    if user.is_superuser or user.is_staff or VISITOR not in names or names & set(STAFF_ROLES):
        return "not_a_visitor"
    return None


def visitors_of(*, district: District) -> QuerySet[Person]:
    """The visitors of a district (home district there, active, a visitor and no staff role), each with
    their pending move (`pending_moves`, at most one): 2 queries."""
    staff = Person.objects.filter(pk=OuterRef("pk"), user__groups__name__in=STAFF_ROLES)
    pending = Departure.objects.filter(state=Departure.State.PENDING).select_related("to_district")
    return (Person.objects.filter(home_district=district, user__is_active=True, user__is_staff=False,
                                  user__is_superuser=False, user__groups__name=VISITOR)
            .exclude(Exists(staff)).select_related("user", "school", "partner")
            .prefetch_related(Prefetch("departures", queryset=pending, to_attr="pending_moves"))
            .order_by("user__last_name", "user__first_name", "pk").distinct())


def moves_incoming(*, district: District) -> QuerySet[Departure]:
    """Moves waiting for a coordinator of `district` to accept or decline: 1 query."""
    return (Departure.objects.filter(to_district=district, state=Departure.State.PENDING)
            .select_related("person__user", "from_district", "requested_by").order_by("created_at", "pk"))


def recent_departures(*, district: District, limit: int = 20) -> QuerySet[Departure]:
    """What happened lately to the district's visitors (left, moved, deactivated; declined, withdrawn)."""
    return (Departure.objects.filter(from_district=district).exclude(state=Departure.State.PENDING)
            .select_related("person__user", "to_district", "requested_by", "decided_by")[:limit])


def destinations(*, district: District) -> QuerySet[District]:
    """The districts a visitor of `district` may move to: every other district."""
    return District.objects.exclude(pk=district.pk).order_by("name")


def owner_district_of(*, person_id=None, move_id=None) -> int | None:
    """The district that owns a person or a move asked for (to file a refused attempt in its trail)."""
    try:
        if person_id is not None:
            return Person.objects.filter(pk=int(person_id)).values_list("home_district_id", flat=True).first()
        if move_id is not None:
            return Departure.objects.filter(pk=int(move_id)).values_list("to_district_id", flat=True).first()
    except (TypeError, ValueError, OverflowError):
        return None
    return None


def may_give_coach_role(user) -> bool:
    """Trainers and state staff (and superusers) give and take away the coach role."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_superuser or roles_of(user) & {TRAINER, STATE_STAFF}))


def coaches() -> QuerySet[Person]:
    """The people who hold the coach role (active accounts), by name: one query."""
    from hub.roles import COACH

    return (Person.objects.filter(user__groups__name=COACH, user__is_active=True).select_related("user")
            .order_by("user__last_name", "user__first_name", "pk"))
