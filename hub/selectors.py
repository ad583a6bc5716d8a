"""Reads with a rule in them, shared by every app."""

from django.db.models import Count, Q, QuerySet

from hub.models import District, Language, Partner, Person, School
from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER, VISITOR, roles_of


def person_for(user) -> Person | None:
    """The user's profile (None for anonymous users and accounts without one), fetched once."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def scope_for(user) -> QuerySet[District]:
    """The districts a person may see. Every view that narrows data by district starts here.

    - state staff (and superusers) and trainers: every district (trainers run statewide training);
    - regional staff: the districts of their region;
    - coordinators: their home district;
    - visitors: their home district, their school's district and the districts their partner serves;
    - learners (from outside the program, `hub.roles.LEARNER`): none; the role gives no district.

    Roles add up. Whether a role may see a kind of data at all (student cases, say) is the feature's
    own rule; this only says where.
    """
    districts = District.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return districts.none()
    roles = roles_of(user)
    if user.is_superuser or STATE_STAFF in roles or TRAINER in roles:
        return districts
    person = person_for(user)
    if person is None:
        return districts.none()
    where = own_districts_q(person, roles)
    if REGIONAL_STAFF in roles and person.region_id:
        where |= Q(region_id=person.region_id)
    return districts.filter(where)


def own_districts_q(person: Person, roles) -> Q:
    """The districts a person works in themselves, as a filter on District (`scope_for` adds a regional
    staff member's region, and everything for staff): a coordinator's or visitor's home district, and a
    visitor's school's district and the districts their partner serves."""
    where = Q(pk__in=[])
    if roles & {COORDINATOR, VISITOR} and person.home_district_id:
        where |= Q(pk=person.home_district_id)
    if VISITOR in roles:
        if person.school_id:
            where |= Q(pk__in=School.objects.filter(pk=person.school_id).values("district_id"))
        if person.partner_id:
            where |= Q(pk__in=Partner.districts.through.objects.filter(partner_id=person.partner_id)
                       .values("district_id"))
    return where


def districts_overview(*, user) -> QuerySet[District]:
    """Districts in scope with their region, schools, partners and number of people: 4 queries."""
    return (
        scope_for(user)
        .select_related("region")
        .prefetch_related("schools", "partners")
        .annotate(people_count=Count("people", distinct=True))
        .order_by("region__name", "name")
    )


def sessions_of(user):
    """The person's signed-in sessions that have not expired (hub.UserSession, indexed by account)."""
    from django.utils import timezone

    from hub.models import UserSession

    return UserSession.objects.filter(user_id=user.pk, expire_date__gt=timezone.now())


def language_of(user) -> str:
    """The language the Hub writes to this person in (their emails), one of settings.LANGUAGES: the one
    they chose in their account preferences (Wagtail's profile), else the one they joined in (their
    accepted invitation or their LEAP 101 request), else the one site language among those they speak
    (`Person.languages`; an invitation accepted in Spanish records Spanish), else the site's default.
    Never the language of the request that happens to cause the message (a coordinator working in
    English registers a Spanish-speaking visitor: the visitor's email is in Spanish)."""
    from django.conf import settings

    site = {code for code, _name in settings.LANGUAGES}
    default = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in site else "en"
    if user is None or getattr(user, "pk", None) is None:
        return default
    from wagtail.users.models import UserProfile

    chosen = UserProfile.objects.filter(user=user).values_list("preferred_language", flat=True).first()
    if chosen in site:
        return chosen
    from hub.joining.models import Invitation, LearnerRequest

    joined = (LearnerRequest.objects.filter(account=user).values_list("language", flat=True).first()
              or Invitation.objects.filter(account=user, state=Invitation.State.ACCEPTED)
              .order_by("-accepted_at").values_list("language", flat=True).first())
    if joined in site:
        return joined
    spoken = {code for code in Language.objects.filter(speakers__user=user).values_list("code", flat=True)} & site
    return spoken.pop() if len(spoken) == 1 else default
