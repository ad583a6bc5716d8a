"""Account life: a coordinator marks a visitor of their district as having left it, moved to another
district (whose coordinator accepts or declines), or deactivates the account.

Each action locks the person's row first, so two coordinators acting on the same person at once end
with one change and one clear refusal (the second reads the first's result). What stays with the person
whatever happens: their training (progress, certificates, attendance) — nothing here touches it. What
ends: their cases in the district they left are flagged for reassignment (`visitor_left_district`,
which `coordinators` connects), and on deactivation every session and open socket of theirs.
The role, district and active changes are audited by `hub.membership.recording`.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.idempotency import create_once
from hub.membership import errors
from hub.membership.models import Departure
from hub.membership.recording import changes_by
from hub.membership.selectors import managed_district, visitor_refusal
from hub.membership.signals import visitor_left_district
from hub.models import District, Person
from hub.services import sessions_end_all

VIA = "account life"


def _district_of(by) -> District:
    district = managed_district(by)
    if district is None:
        raise errors.NotAllowed(_("Only a district coordinator manages visitors' accounts."))
    return district


def _as_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _visitor_locked(*, person_id, by, district: District) -> Person:
    """The visitor, row locked, when `by` may act on them; else the refusal."""
    pk = _as_int(person_id)
    # Locked by id, then checked: a coordinator who acted a moment earlier (and changed the district) is
    # named in the refusal, rather than the person vanishing into a 404.
    # The account is read after the lock, in its own query: joined in the locking one, PostgreSQL would
    # hand back the account as it was before the coordinator who held the lock switched it off.
    person = Person.objects.select_for_update().filter(pk=pk).first() if pk else None
    if person is not None and person.home_district_id != district.pk:
        earlier = (Departure.objects.filter(person=person, from_district=district, state=Departure.State.DONE)
                   .select_related("requested_by").first())
        if earlier is not None:
            raise errors.Refused(_("%(name)s was marked as “%(what)s” already, by %(by)s.") % {
                "name": person.full_name, "what": earlier.get_kind_display(),
                "by": earlier.requested_by.get_full_name() if earlier.requested_by else _("someone")})
        person = None
    if person is None:
        raise errors.NotFound(_("There is no such visitor in your district."))
    if person.user_id == by.pk:
        raise errors.Refused(_("You cannot change your own account here; ask another coordinator or the state team."))
    if visitor_refusal(person):
        raise errors.NotAVisitor(_("A coordinator manages visitors only: %(name)s is also a trainer, coordinator "
                                   "or member of staff.") % {"name": person.full_name})
    if not person.user.is_active:
        raise errors.Refused(_("%(name)s's account is already deactivated.") % {"name": person.full_name})
    pending = Departure.objects.filter(person=person, state=Departure.State.PENDING).select_related("to_district").first()
    if pending is not None:
        raise errors.Refused(_("%(name)s is already moving to %(district)s; withdraw that move first.") % {
            "name": person.full_name, "district": pending.to_district.name})
    return person


def _leaves(*, person: Person, district: District, by, reason: str, to: District | None = None) -> None:
    """The person no longer belongs to `district` (nor its school or partner) but to `to` (None: to no
    district): their open cases in `district` are flagged for a new visitor."""
    person.home_district = to
    person.school = None
    person.partner = None
    person.save(update_fields=["home_district", "school", "partner", "updated_at"])
    visitor_left_district.send(sender=Departure, person=person, district=district, reason=reason, by=by)


def visitor_leave(*, person_id, by, form_token=None) -> tuple[Departure, bool]:
    """Mark a visitor as having left the coordinator's district: they keep their account and training,
    belong to no district, and their open cases there need a new visitor. (row, created)."""
    def leave() -> Departure:
        with transaction.atomic(), changes_by(by=by, via=VIA):
            district = _district_of(by)
            person = _visitor_locked(person_id=person_id, by=by, district=district)
            now = timezone.now()
            departure = Departure.objects.create(
                person=person, kind=Departure.Kind.LEFT, state=Departure.State.DONE, from_district=district,
                requested_by=by, decided_by=by, decided_at=now, form_token=form_token)
            _leaves(person=person, district=district, by=by,
                    reason=_("%(name)s left %(district)s.") % {"name": person.full_name, "district": district.name})
            return departure

    return create_once(Departure, token=form_token, owner={"requested_by": by}, create=leave)


def visitor_move(*, person_id, to_district_id, by, form_token=None) -> tuple[Departure, bool]:
    """Ask to move a visitor to another district. Until a coordinator there accepts, the person stays in
    the old district, with their cases. (row, created)."""
    def move() -> Departure:
        with transaction.atomic(), changes_by(by=by, via=VIA):
            district = _district_of(by)
            person = _visitor_locked(person_id=person_id, by=by, district=district)
            pk = _as_int(to_district_id)
            if pk == district.pk:
                raise errors.Refused(_("%(name)s is in %(district)s already: choose another district.") % {
                    "name": person.full_name, "district": district.name})
            to = District.objects.filter(pk=pk).first() if pk else None
            if to is None:
                raise errors.Refused(_("Choose the district %(name)s is moving to.") % {"name": person.full_name})
            return Departure.objects.create(
                person=person, kind=Departure.Kind.MOVED, state=Departure.State.PENDING, from_district=district,
                to_district=to, requested_by=by, form_token=form_token)

    return create_once(Departure, token=form_token, owner={"requested_by": by}, create=move)


def visitor_deactivate(*, person_id, by, form_token=None) -> tuple[Departure, bool]:
    """Deactivate a visitor's account: they can no longer sign in, every session and socket of theirs
    ends, their open cases anywhere need a new visitor; their training records stay. (row, created)."""
    def deactivate() -> Departure:
        with transaction.atomic(), changes_by(by=by, via=VIA):
            district = _district_of(by)
            person = _visitor_locked(person_id=person_id, by=by, district=district)
            now = timezone.now()
            departure = Departure.objects.create(
                person=person, kind=Departure.Kind.DEACTIVATED, state=Departure.State.DONE, from_district=district,
                requested_by=by, decided_by=by, decided_at=now, form_token=form_token)
            user = person.user
            user.is_active = False
            user.save(update_fields=["is_active"])
            sessions_end_all(user=user)
            visitor_left_district.send(
                sender=Departure, person=person, district=None, by=by,
                reason=_("%(name)s's account was deactivated.") % {"name": person.full_name})
            return departure

    return create_once(Departure, token=form_token, owner={"requested_by": by}, create=deactivate)


def _move_locked(*, move_id, by, incoming: bool, again: str | None = None) -> tuple[Departure, Person]:
    """The move and its person, both locked. A move decided already is refused, unless `by` made it
    `again` (the same form sent twice: the answer is the first one's)."""
    district = _district_of(by)
    pk = _as_int(move_id)
    where = {"to_district": district} if incoming else {"from_district": district}
    move = Departure.objects.filter(pk=pk, kind=Departure.Kind.MOVED, **where).first() if pk else None
    if move is None:
        raise errors.NotFound(_("There is no such move for your district."))
    # The person first, then the move: the order every action here locks in.
    person = Person.objects.select_for_update().get(pk=move.person_id)
    move = (Departure.objects.select_for_update(of=("self",)).select_related("from_district", "to_district")
            .get(pk=move.pk))
    if move.state != Departure.State.PENDING and not (move.state == again and move.decided_by_id == by.pk):
        raise errors.Refused({
            Departure.State.DONE: _("This move was accepted already."),
            Departure.State.DECLINED: _("This move was declined already."),
        }.get(move.state, _("This move was withdrawn already.")))
    return move, person


def move_decide(*, move_id, by, accept: bool) -> Departure:
    """A coordinator of the receiving district accepts (the person now belongs to it, without the old
    district's school or partner; their open cases there need a new visitor) or declines (nothing moves)."""
    with transaction.atomic(), changes_by(by=by, via=VIA):
        wanted = Departure.State.DONE if accept else Departure.State.DECLINED
        move, person = _move_locked(move_id=move_id, by=by, incoming=True, again=wanted)
        if move.state == wanted:
            return move
        if accept and person.home_district_id != move.from_district_id:
            raise errors.Refused(_("%(name)s is no longer in %(district)s; this move cannot be accepted.") % {
                "name": person.full_name, "district": move.from_district.name})
        move.state = wanted
        move.decided_by, move.decided_at = by, timezone.now()
        move.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
        if accept:
            _leaves(person=person, district=move.from_district, by=by, to=move.to_district,
                    reason=_("%(name)s moved to %(district)s.") % {"name": person.full_name,
                                                                   "district": move.to_district.name})
        return move


def move_withdraw(*, move_id, by) -> Departure:
    """The sending district's coordinator takes back a move that is still waiting."""
    with transaction.atomic(), changes_by(by=by, via=VIA):
        move, _person = _move_locked(move_id=move_id, by=by, incoming=False, again=Departure.State.WITHDRAWN)
        if move.state == Departure.State.WITHDRAWN:
            return move
        move.state = Departure.State.WITHDRAWN
        move.decided_by, move.decided_at = by, timezone.now()
        move.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
        return move


def coach_role_set(*, login: str, coach: bool, by) -> Person:
    """Give (`coach`) or take away the coach role of the account whose user name or email is `login`.

    Trainers and state staff only (`may_give_coach_role`). The change is audited like every role change
    (`hub.membership.recording`, via "coach role"); giving it twice, or taking it from someone who does not
    hold it, is refused with the reason and changes nothing."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from hub.membership.selectors import may_give_coach_role
    from hub.roles import COACH
    from hub.services import roles_ensure

    if not may_give_coach_role(by):
        raise errors.NotAllowed(_("Only Hub trainers and state staff give or take away the coach role."))
    login = (login or "").strip() if isinstance(login, str) else ""
    if not login or len(login) > 254 or "\x00" in login:
        raise errors.NotFound(_("Give the user name or email of someone who has an account on the Hub."))
    with transaction.atomic(), changes_by(by=by, via="coach role"):
        user = (get_user_model().objects.select_for_update().filter(Q(username__iexact=login) | Q(email__iexact=login),
                                                                   is_active=True).order_by("pk").first())
        person = Person.objects.filter(user=user).select_related("user").first() if user else None
        if person is None:
            raise errors.NotFound(_("Nobody active on the Hub has the user name or email “%(login)s”.") % {
                "login": login})
        group = roles_ensure()[COACH]
        holds = user.groups.filter(pk=group.pk).exists()
        if coach and holds:
            raise errors.Refused(_("%(name)s is a coach already.") % {"name": person.full_name})
        if not coach and not holds:
            raise errors.Refused(_("%(name)s is not a coach.") % {"name": person.full_name})
        if coach:
            user.groups.add(group)
        else:
            user.groups.remove(group)
        user.__dict__.pop("_hub_roles", None)
    return person
