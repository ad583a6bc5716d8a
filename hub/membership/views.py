"""A coordinator's visitors (left / moved / deactivate) and the people moving to their district (accept /
decline). Views ask `selectors`, act through `services` and turn a refusal into a message: a person or
move outside the coordinator's district answers 404 and the attempt is audited, as case reads are."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hub.audit.services import audit_record
from hub.idempotency import new_token, posted_token
from hub.membership import errors, selectors, services
from hub.membership.models import Departure


def _district_or_403(request):
    district = selectors.managed_district(request.user)
    if district is None:
        raise PermissionDenied(_("Only a district coordinator manages visitors' accounts."))
    return district


def _page(request, district, *, refusal: str | None = None, status: int = 200):
    visitors = list(selectors.visitors_of(district=district))
    for person in visitors:  # a fresh one-time token per form drawn (hub.idempotency)
        person.tokens = {"leave": new_token(), "move": new_token(), "deactivate": new_token()}
    return render(request, "membership/people.html", {
        "district": district, "visitors": visitors, "refusal": refusal,
        "destinations": list(selectors.destinations(district=district)),
        "recent": list(selectors.recent_departures(district=district)),
        "incoming_count": selectors.moves_incoming(district=district).count(),
    }, status=status)


@login_required
def people(request):
    return _page(request, _district_or_403(request))


def _denied(request, *, object_type: str, object_id, district_id):
    audit_record(actor=request.user, action="membership.denied", object_type=object_type,
                 object_id=str(object_id)[:40], districts=[district_id] if district_id else [],
                 district=None if district_id else selectors.managed_district(request.user),
                 detail=request.get_full_path()[:500])
    raise Http404(_("Not found."))


def _act(request, person_id: int, act, done: str, again: str, **extra):
    district = _district_or_403(request)
    try:
        departure, created = act(person_id=person_id, by=request.user, form_token=posted_token(request.POST), **extra)
    except errors.NotFound:
        _denied(request, object_type="person", object_id=person_id,
                district_id=selectors.owner_district_of(person_id=person_id))
    except errors.NotAVisitor as exc:
        return _page(request, district, refusal=str(exc), status=403)
    except errors.MembershipError as exc:
        return _page(request, district, refusal=str(exc), status=409)
    name = departure.person.full_name
    messages.success(request, (done if created else again) % {
        "name": name, "district": departure.to_district.name if departure.to_district_id else ""})
    return redirect("membership:people")


@login_required
@require_POST
def leave(request, person_id: int):
    return _act(request, person_id, services.visitor_leave,
                _("%(name)s is marked as having left the district; their open cases need a new visitor."),
                _("%(name)s was already marked as having left."))


@login_required
@require_POST
def move(request, person_id: int):
    return _act(request, person_id, services.visitor_move,
                _("%(name)s is moving to %(district)s; they stay here until a coordinator there accepts."),
                _("The move of %(name)s to %(district)s was already asked for."),
                to_district_id=request.POST.get("district"))


@login_required
@require_POST
def deactivate(request, person_id: int):
    return _act(request, person_id, services.visitor_deactivate,
                _("%(name)s's account is deactivated: they are signed out everywhere; their training records stay."),
                _("%(name)s's account was already deactivated."))


@login_required
def moves_incoming(request, *, refusal: str | None = None, status: int = 200):
    district = _district_or_403(request)
    return render(request, "membership/moves_incoming.html", {
        "district": district, "moves": list(selectors.moves_incoming(district=district)), "refusal": refusal,
    }, status=status)


def _move_refused(request, move_id: int, exc, *, page):
    if isinstance(exc, errors.NotFound):
        _denied(request, object_type="departure", object_id=move_id,
                district_id=selectors.owner_district_of(move_id=move_id))
    return page(request, refusal=str(exc), status=409)


@login_required
@require_POST
def move_decide(request, move_id: int):
    _district_or_403(request)
    action = request.POST.get("action")
    if action not in ("accept", "decline"):
        return moves_incoming(request, refusal=_("Choose accept or decline."), status=400)
    try:
        move = services.move_decide(move_id=move_id, by=request.user, accept=action == "accept")
    except errors.MembershipError as exc:
        return _move_refused(request, move_id, exc, page=moves_incoming)
    text = (_("%(name)s now belongs to %(district)s.") if move.state == Departure.State.DONE
            else _("You declined the move of %(name)s to %(district)s; they stay where they were."))
    messages.success(request, text % {"name": move.person.full_name, "district": move.to_district.name})
    return redirect("membership:moves_incoming")


@login_required
@require_POST
def move_withdraw(request, move_id: int):
    district = _district_or_403(request)
    try:
        move = services.move_withdraw(move_id=move_id, by=request.user)
    except errors.MembershipError as exc:
        return _move_refused(request, move_id, exc,
                             page=lambda request, **kw: _page(request, district, **kw))
    messages.success(request, _("The move of %(name)s to %(district)s is withdrawn.") % {
        "name": move.person.full_name, "district": move.to_district.name})
    return redirect("membership:people")
