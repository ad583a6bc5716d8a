"""Who may invite whom, and what inviters see. One rule, `invite_refusal`, answers "may this person
invite someone with this role into this district?" for the form's choices, the CSV import and the
service alike.

The rights (kept short on purpose):

| inviter | roles they may give | districts |
| --- | --- | --- |
| coordinator | Visitor | their own home district only |
| trainer | Visitor (any district), Trainer (no district) | any |
| state staff, superuser | Visitor, Coordinator (any district), Trainer, State staff (no district) | any |
| regional staff, visitor | none | — |

- Visitors and coordinators belong to a district (it is required); trainers and state staff work
  statewide (no district). Regional staff need a region, which an invitation does not carry: they are
  still set up in the Django admin.
- Only state staff (or a superuser) may give State staff or Coordinator. Nobody gets superuser or
  Django-admin rights by invitation (the account is made with the role's own rights: see
  hub.services.person_create).
- Trainers may bring in fellow trainers and the visitors of a statewide LEAP 101 cohort, but not make a
  district's coordinator: that is the district's and the state's choice.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hub.joining.models import Invitation, LearnerRequest
from hub.models import District
from hub.roles import COORDINATOR, STATE_STAFF, TRAINER, VISITOR, roles_of
from hub.selectors import person_for

DISTRICT_ROLES = frozenset({VISITOR, COORDINATOR})  # need a district; the others have none
ROLE_ORDER = (VISITOR, COORDINATOR, TRAINER, STATE_STAFF)


@dataclass(frozen=True)
class InviteRights:
    roles: tuple[str, ...]  # in ROLE_ORDER
    all_districts: bool
    district_ids: frozenset[int]  # when not all_districts

    @property
    def may_invite(self) -> bool:
        return bool(self.roles)

    def districts(self) -> QuerySet[District]:
        qs = District.objects.order_by("name")
        return qs if self.all_districts else qs.filter(pk__in=self.district_ids)


def invite_rights(user) -> InviteRights:
    """The roles and districts `user` may give. No query beyond the user's roles and profile."""
    none = InviteRights(roles=(), all_districts=False, district_ids=frozenset())
    if user is None or not user.is_authenticated or not user.is_active:
        return none
    held = roles_of(user)
    if user.is_superuser or STATE_STAFF in held:
        return InviteRights(roles=ROLE_ORDER, all_districts=True, district_ids=frozenset())
    if TRAINER in held:
        return InviteRights(roles=(VISITOR, TRAINER), all_districts=True, district_ids=frozenset())
    if COORDINATOR in held:
        person = person_for(user)
        if person is not None and person.home_district_id:
            return InviteRights(roles=(VISITOR,), all_districts=False,
                                district_ids=frozenset({person.home_district_id}))
    return none


def invite_refusal(rights: InviteRights, *, role: str, district_id: int | None) -> str | None:
    """Why an inviter with `rights` may not invite someone as `role` in `district_id`, or None if they may."""
    if not rights.may_invite:
        return _("You may not invite people to the Hub.")
    if role not in rights.roles:
        return _("You may not invite someone as %(role)s. You may invite: %(roles)s.") % {
            "role": role, "roles": ", ".join(rights.roles)}
    if role in DISTRICT_ROLES:
        if district_id is None:
            return _("Choose the district a %(role)s works in.") % {"role": role.lower()}
        if not rights.all_districts and district_id not in rights.district_ids:
            return _("You may only invite people into your own district.")
    elif district_id is not None:
        return _("A %(role)s works statewide: leave the district empty.") % {"role": role.lower()}
    return None


def invitations_for(user) -> QuerySet[Invitation]:
    """The invitations `user` may see and manage: coordinators their district's, trainers the ones they
    sent, state staff all. Object-level: views fetch one invitation by id from this queryset (404)."""
    rights = invite_rights(user)
    qs = Invitation.objects.select_related("district", "school", "partner", "invited_by", "account")
    if not rights.may_invite:
        return qs.none()
    if rights.all_districts and (user.is_superuser or STATE_STAFF in roles_of(user)):
        return qs
    if rights.all_districts:
        return qs.filter(invited_by=user)
    return qs.filter(district_id__in=rights.district_ids)


def invitation_counts(invitations: QuerySet[Invitation]) -> dict[str, int]:
    now = timezone.now()
    pending = invitations.filter(state=Invitation.State.PENDING)
    return {
        "accepted": invitations.filter(state=Invitation.State.ACCEPTED).count(),
        "pending": pending.filter(expires_at__gt=now).count(),
        "expired": pending.filter(expires_at__lte=now).count(),
        "withdrawn": invitations.filter(state=Invitation.State.WITHDRAWN).count(),
    }


def account_for_email(email: str):
    """The account that already uses this address (compared casefolded), or None."""
    return get_user_model().objects.filter(email__iexact=email).order_by("pk").first()


def pending_invitation_for_email(email: str) -> Invitation | None:
    """The pending, unexpired invitation sent to this address (normalised), or None."""
    return (Invitation.objects.filter(email=email.strip().casefold(), state=Invitation.State.PENDING,
                                      expires_at__gt=timezone.now()).order_by("-created_at").first())


def sso_email_verified(*, provider_id: str, claims: dict, verified: bool) -> bool:
    """Does the provider vouch for the address it sent? Its `email_verified` claim (read by allauth into
    `verified`); Microsoft Entra ID sends none and says the same with `xms_edov` (the address's domain is
    verified by the tenant) when the app registration asks for that optional claim."""
    if verified:
        return True
    return provider_id == "entra" and claims.get("xms_edov") in (True, "true", "True", 1, "1")


def sso_providers() -> list[dict]:
    """The single sign-on providers configured by environment (settings.SSO_APPS): [{"id", "name"}], in
    the order of the sign-in page's buttons. Empty when none is configured."""
    return [{"id": app["provider_id"], "name": app["name"]} for app in getattr(settings, "SSO_APPS", [])]


# Where a person lands after accepting: LEAP 101's course page. The courses app (above hub) registers
# the function that finds it, from CoursesConfig.ready(); until it does, the course list.
_landing: list = []


def landing_register(find_url) -> None:
    """`find_url()` -> the path of the page new people start on (or None when it does not exist yet)."""
    _landing[:] = [find_url]


def landing_url() -> str:
    for find_url in _landing:
        url = find_url()
        if url:
            return url
    return "/courses/"


# -- learners from elsewhere (LEAP 101 for people outside the program's districts) ---------------------
#
# | question | answer |
# | --- | --- |
# | who may sign up | anyone, at /join/leap-101/ (honeypot, a per-address rate limit, a form token) |
# | who decides | trainers and state staff (and superusers), in the queue at /join/learners/ |
# | approved at once? | only when LEARNER_SIGNUP_APPROVAL is "open" (anything else, and the default: "queue") |
# | what a learner reaches | courses, sessions, the statewide community room, certificates; no district |

APPROVAL_QUEUE = "queue"
APPROVAL_OPEN = "open"
APPROVAL_MODES = (APPROVAL_QUEUE, APPROVAL_OPEN)
DECIDER_ROLES = frozenset({TRAINER, STATE_STAFF})


def learner_approval_mode() -> str:
    """"open" (accounts usable at once) only when the setting says exactly that; otherwise "queue": a
    mistyped value keeps the safe default (and `manage.py check` warns about it: hub.joining.apps)."""
    return APPROVAL_OPEN if getattr(settings, "LEARNER_SIGNUP_APPROVAL", APPROVAL_QUEUE) == APPROVAL_OPEN \
        else APPROVAL_QUEUE


def may_decide_learners(user) -> bool:
    """Trainers and state staff (and superusers) approve or refuse learners' requests."""
    return bool(user is not None and user.is_authenticated and user.is_active
                and (user.is_superuser or roles_of(user) & DECIDER_ROLES))


def learner_requests_for(user) -> QuerySet[LearnerRequest]:
    """The requests `user` may see and decide (all of them for a decider, none otherwise). Views fetch one
    request by id from this queryset (404)."""
    qs = LearnerRequest.objects.select_related("decided_by", "account")
    return qs if may_decide_learners(user) else qs.none()


def learner_queue(user) -> dict:
    """The queue page: the requests waiting (oldest first) and the latest decisions. Three queries."""
    requests = learner_requests_for(user)
    return {
        "pending": list(requests.filter(state=LearnerRequest.State.PENDING).order_by("created_at", "pk")[:200]),
        "pending_count": requests.filter(state=LearnerRequest.State.PENDING).count(),
        "decided": list(requests.exclude(state=LearnerRequest.State.PENDING).order_by("-decided_at", "-pk")[:50]),
    }


def learner_sign_in_refusal(*, username: str, password: str) -> str | None:
    """Why the account this learner sign-up made cannot sign in ("waiting", "refused"), or None.

    Asked after a sign-in failed (hub.joining.apps connects it to `user_login_failed`); it answers only
    when the password is the account's own, so the sign-in form reveals nothing about an address to
    someone who does not hold its password."""
    if not username or not password or len(username) > 254 or "\x00" in username + password:
        return None
    found = (LearnerRequest.objects.select_related("account")
             .filter(account__username__iexact=username, account__is_active=False)
             .exclude(state=LearnerRequest.State.APPROVED).first())
    if found is None or not found.account.check_password(password):
        return None
    return found.state
