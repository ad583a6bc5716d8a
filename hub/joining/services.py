"""Writes of joining: invite (one person, or a staff list), resend, withdraw, accept.

- Rights come from one rule (`hub.joining.selectors.invite_refusal`): a refused role or district
  raises `NotAllowed` and nothing is written.
- An address has at most one pending invitation (a database constraint), and never a second account:
  an address that already has an account is refused as "already has an account" when inviting, and
  offered a sign-in when the link is followed.
- The link's token is random (`secrets`), shown once in the email, and stored only as its SHA-256
  hash; a resend makes a new token and a new expiry, so the old link no longer opens anything.
- Accepting creates the account (user, profile, role, district, organisation) and marks the invitation
  accepted in one transaction, holding a row lock on the invitation: two acceptances at once make one
  account. The role and district given are written to the audit trail.
"""

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from hub.audit.services import audit_record
from hub.csv_import import ImportReport, csv_rows
from hub.errors import InvalidPerson
from hub.joining import errors
from hub.joining.models import (
    LANGUAGE_CHOICES,
    LINK_EXPIRED,
    LINK_UNKNOWN,
    LINK_USED,
    LINK_WITHDRAWN,
    SSO_INVITED,
    SSO_UNKNOWN,
    SSO_UNVERIFIED,
    SSO_WRONG_INVITATION,
    Invitation,
    LearnerRequest,
)
from hub.joining.selectors import (
    APPROVAL_OPEN,
    DISTRICT_ROLES,
    InviteRights,
    account_for_email,
    invite_refusal,
    invite_rights,
    landing_url,
    learner_approval_mode,
    learner_requests_for,
    may_decide_learners,
    pending_invitation_for_email,
)
from hub.mail import absolute_url, mail_many_on_commit, mail_on_commit, mail_render
from hub.membership.recording import changes_by
from hub.models import District, Language, Partner, School
from hub.roles import CONTENT_EDITORS, roles_of
from hub.selectors import language_of
from hub.services import person_create, roles_ensure
from hub.text import _drop_controls, normalise_name

LANGUAGES = {code for code, _ in LANGUAGE_CHOICES}
IMPORT_COLUMNS = ["name", "email", "school_or_partner", "role", "language"]
IMPORT_BATCH = 500
NAME_MAX = 150


def email_normalise(email: str) -> str:
    """Trimmed and casefolded: "Ana.Ruiz@School.org " and "ana.ruiz@school.org" are one person."""
    return (email or "").strip().casefold()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def _expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


@dataclass
class InvitationData:
    email: str
    name: str
    role: str
    district: District | None = None
    organisation: str = ""  # the name of a school of the district or a partner serving it
    language: str = "en"


@dataclass
class Organisations:
    """Schools and partners by lower-cased name, per district, read once (for a form or a whole file)."""

    schools: dict[tuple[int, str], School]
    partners: dict[tuple[int, str], Partner]

    @classmethod
    def load(cls, districts) -> "Organisations":
        ids = [d.pk for d in districts]
        schools = {(s.district_id, s.name.strip().casefold()): s for s in School.objects.filter(district_id__in=ids)}
        partners = {}
        for link in Partner.districts.through.objects.filter(district_id__in=ids).select_related("partner"):
            partners[(link.district_id, link.partner.name.strip().casefold())] = link.partner
        return cls(schools=schools, partners=partners)

    def find(self, name: str, district: District | None) -> tuple[School | None, Partner | None]:
        if not name:
            return None, None
        if district is None:
            raise errors.InvalidInvitation(_("Only people who work in a district have a school or partner."))
        key = (district.pk, name.strip().casefold())
        if key in self.schools:
            return self.schools[key], None
        if key in self.partners:
            return None, self.partners[key]
        raise errors.InvalidInvitation(_("%(district)s has no school or partner named “%(name)s”.") % {
            "district": district, "name": name[:80]})


def invitation_problems(data: InvitationData, *, rights: InviteRights) -> list[str]:
    """What is wrong with one invitation (empty: it may be sent). The form and the import both ask this."""
    problems = []
    try:
        validate_email(data.email)
        if len(data.email) > 254:
            raise ValidationError("too long")
    except ValidationError:
        problems.append(_("“%(email)s” is not an email address.") % {"email": data.email[:80]})
    if not data.name.strip():
        problems.append(_("The name is missing."))
    elif len(data.name) > NAME_MAX or "\x00" in data.name:
        problems.append(_("The name must be at most %(n)d characters of text.") % {"n": NAME_MAX})
    if data.language not in LANGUAGES:
        problems.append(_("The language must be en or es (got “%(value)s”).") % {"value": data.language[:20]})
    refusal = invite_refusal(rights, role=data.role, district_id=data.district.pk if data.district else None)
    if refusal:
        problems.append(refusal)
    return problems


def _invitation_mail(invitation: Invitation, token: str) -> dict:
    """The invitation email (in the invitee's language), as `mail_on_commit`'s keywords."""
    with translation.override(invitation.language):
        context = {"invitation": invitation, "link": absolute_url(reverse("joining:accept", args=[token])),
                   "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
                   "days": settings.INVITATION_VALID_DAYS}
        context["subject"] = subject = str(_("You are invited to the Home Visit Hub"))
        body, html = mail_render("joining/email/invitation", context, language=invitation.language)
    return {"to": invitation.email, "subject": subject, "body": body, "html": html, "kind": "invitation",
            "district": invitation.district_id, "language": invitation.language}


def _mail_invitation(invitation: Invitation, token: str) -> None:
    mail_on_commit(**_invitation_mail(invitation, token))


def _build(data: InvitationData, *, school, partner, by) -> tuple[Invitation, str]:
    token, hashed = _new_token()
    now = timezone.now()
    invitation = Invitation(
        email=data.email, name=normalise_name(data.name.strip()), role=data.role, district=data.district,
        school=school, partner=partner, language=data.language, invited_by=by if by.is_authenticated else None,
        expires_at=_expiry(), token_hash=hashed, last_sent_at=now)
    return invitation, token


@transaction.atomic
def invitation_create(*, data: InvitationData, by, form_token=None) -> Invitation:
    """Invite one person (the form). Refuses, changing nothing: a role or district outside `by`'s rights,
    an address with an account or a pending invitation, a bad address, name, language or organisation.
    The same form sent again (`form_token`, hub.idempotency) returns the invitation it made, unsent."""
    data.email = email_normalise(data.email)
    rights = invite_rights(by)
    refusal = invite_refusal(rights, role=data.role, district_id=data.district.pk if data.district else None)
    if refusal:
        raise errors.NotAllowed(refusal)
    if form_token is not None:
        again = Invitation.objects.filter(invited_by=by, form_token=form_token).first()
        if again is not None:
            return again
    problems = invitation_problems(data, rights=rights)
    if problems:
        raise errors.InvalidInvitation(" ".join(problems))
    school, partner = Organisations.load([data.district] if data.district else []).find(
        data.organisation, data.district)
    account = account_for_email(data.email)
    if account is not None:
        raise errors.HasAccount(_("%(email)s already has an account (user name %(username)s): they can sign in "
                                  "already. No invitation was sent.") % {"email": data.email,
                                                                          "username": account.username})
    if Invitation.objects.filter(email=data.email, state=Invitation.State.PENDING).exists():
        raise errors.AlreadyInvited(_("%(email)s has an invitation waiting already: resend it from the list "
                                      "instead.") % {"email": data.email})
    invitation, token = _build(data, school=school, partner=partner, by=by)
    invitation.form_token = form_token
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # the same address (or the same form) at the same moment
        again = Invitation.objects.filter(invited_by=by, form_token=form_token).first() if form_token else None
        if again is not None:
            return again
        raise errors.AlreadyInvited(_("%(email)s has an invitation waiting already.") % {
            "email": data.email}) from None
    audit_record(actor=by, action="joining.invite", obj=invitation,
                 detail=f"{invitation.role}, {invitation.district or 'statewide'}")
    _mail_invitation(invitation, token)
    return invitation


@dataclass
class StaffImportReport(ImportReport):
    """An import's counts: `created` invitations sent, `unchanged` addresses already invited (pending),
    `has_account` addresses that already have an account (listed, nothing sent)."""

    has_account: int = 0
    accounts: list = None  # [(line, email, username)]

    def __post_init__(self):
        self.accounts = []

    @property
    def summary(self) -> str:
        if self.fatal:
            return self.fatal
        return _("%(rows)s rows read: %(created)s invited, %(unchanged)s already invited, %(accounts)s already "
                 "have an account (nothing sent), %(errors)s with problems (not imported).") % {
            "rows": f"{self.rows:,}", "created": f"{self.created:,}", "unchanged": f"{self.unchanged:,}",
            "accounts": f"{self.has_account:,}", "errors": f"{self.error_count:,}"}


def _too_many_rows(file, limit: int) -> bool:
    """Counts data rows up to limit + 1 (a cheap first pass over a file already checked to read)."""
    probe = ImportReport()
    count = 0
    for _row in csv_rows(file, IMPORT_COLUMNS, probe):
        count += 1
        if count > limit:
            break
    file.seek(0)
    return count > limit and not probe.fatal


def invitations_import(*, file, by, district: District | None,
                       progress: Callable[[StaffImportReport], None] | None = None) -> StaffImportReport:
    """Invite a staff list (CSV: name, email, school_or_partner, role, language) into `district` (None for
    statewide roles only). Bad rows are reported with their line numbers and skipped; good rows are
    invited, in batches, in a constant number of queries per batch. Importing the same file again invites
    nobody twice. A file over INVITATION_IMPORT_MAX_ROWS rows, not UTF-8, or with wrong columns is
    refused whole."""
    rights = invite_rights(by)
    report = StaffImportReport()
    if not rights.may_invite:
        raise errors.NotAllowed(_("You may not invite people to the Hub."))
    if district is not None and not rights.all_districts and district.pk not in rights.district_ids:
        raise errors.NotAllowed(_("You may only invite people into your own district."))
    limit = settings.INVITATION_IMPORT_MAX_ROWS
    if _too_many_rows(file, limit):
        report.fatal = _("The file has more than %(limit)s rows; split it into files of at most %(limit)s rows. "
                         "Nothing was imported.") % {"limit": f"{limit:,}"}
        return report
    organisations = Organisations.load([district] if district else [])
    seen: dict[str, int] = {}
    batch: list[tuple[int, InvitationData, School | None, Partner | None]] = []

    def flush():
        if not batch:
            return
        emails = [data.email for _, data, _, _ in batch]
        User = get_user_model()
        accounts = {}
        for username, email in User.objects.filter(email__in=emails).values_list("username", "email"):
            accounts.setdefault(email_normalise(email), username)
        pending = set(Invitation.objects.filter(email__in=emails, state=Invitation.State.PENDING)
                      .values_list("email", flat=True))
        new = []
        for line, data, school, partner in batch:
            if data.email in accounts:
                report.has_account += 1
                report.accounts.append((line, data.email, accounts[data.email]))
            elif data.email in pending:
                report.unchanged += 1
            else:
                invitation, token = _build(data, school=school, partner=partner, by=by)
                invitation._line, invitation._token = line, token
                new.append(invitation)
        try:
            with transaction.atomic():
                Invitation.objects.bulk_create(new)
                mail_many_on_commit([_invitation_mail(invitation, invitation._token) for invitation in new])
            report.created += len(new)
        except IntegrityError:  # someone invited one of these addresses meanwhile: row by row
            for invitation in new:
                try:
                    with transaction.atomic():
                        invitation.save()
                        _mail_invitation(invitation, invitation._token)
                    report.created += 1
                except IntegrityError:
                    report.unchanged += 1
        batch.clear()
        if progress:
            progress(report)

    for line, row in csv_rows(file, IMPORT_COLUMNS, report):
        data = InvitationData(email=email_normalise(row["email"]), name=row["name"], role=_role(row["role"]),
                              district=district if _role(row["role"]) in DISTRICT_ROLES else None,
                              organisation=row["school_or_partner"], language=row["language"].lower() or "en")
        if data.email in seen:
            report.error(line, _("%(email)s appears again (first on line %(first)s); this row was skipped.") % {
                "email": data.email[:80], "first": seen[data.email]})
            continue
        if data.email:
            seen[data.email] = line
        problems = invitation_problems(data, rights=rights)
        school = partner = None
        if not problems:
            try:
                school, partner = organisations.find(data.organisation, data.district)
            except errors.InvalidInvitation as exc:
                problems.append(str(exc))
        if problems:
            report.error(line, " ".join(problems))
            continue
        batch.append((line, data, school, partner))
        if len(batch) >= IMPORT_BATCH:
            flush()
    flush()
    if not report.fatal:
        audit_record(actor=by, action="joining.import", object_type="district" if district else "",
                     object_id=district.pk if district else "", district=district, detail=report.summary)
    return report


def _role(value: str) -> str:
    """A role as written in a staff list ("visitor", "Home visitor", "COORDINATOR") to its name."""
    from hub.roles import ALL_ROLES

    wanted = value.strip().casefold().removeprefix("home ")
    for role in ALL_ROLES:
        if role.casefold() == wanted:
            return role
    return value.strip()[:40]


def _locked(invitation: Invitation, *, by) -> Invitation:
    from hub.joining.selectors import invitations_for

    try:
        return invitations_for(by).select_for_update(of=("self",)).get(pk=invitation.pk)
    except Invitation.DoesNotExist:
        raise errors.NotAllowed(_("That invitation is not one of yours.")) from None


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by) -> Invitation:
    """A new link (and a new expiry) for a pending or expired invitation; the old link stops working."""
    invitation = _locked(invitation, by=by)
    if invitation.state != Invitation.State.PENDING:
        raise errors.InvalidInvitation(_("This invitation was %(state)s: there is nothing to resend.") % {
            "state": invitation.get_state_display().lower()})
    if account_for_email(invitation.email) is not None:
        raise errors.HasAccount(_("%(email)s has an account now: they can sign in.") % {"email": invitation.email})
    token, invitation.token_hash = _new_token()
    invitation.expires_at = _expiry()
    invitation.send_count += 1
    invitation.last_sent_at = timezone.now()
    invitation.save(update_fields=["token_hash", "expires_at", "send_count", "last_sent_at", "updated_at"])
    audit_record(actor=by, action="joining.resend", obj=invitation, detail=f"sent {invitation.send_count} times")
    _mail_invitation(invitation, token)
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by) -> Invitation:
    invitation = _locked(invitation, by=by)
    if invitation.state != Invitation.State.PENDING:
        raise errors.InvalidInvitation(_("This invitation was %(state)s already.") % {
            "state": invitation.get_state_display().lower()})
    invitation.state = Invitation.State.WITHDRAWN
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["state", "withdrawn_at", "updated_at"])
    audit_record(actor=by, action="joining.withdraw", obj=invitation)
    return invitation


LINK_MESSAGES = {
    LINK_UNKNOWN: gettext_noop("This link does not open an invitation. It may have been mistyped or cut short, or a newer "
                  "invitation replaced it: use the link in the latest email, or ask the person who invited you."),
    LINK_USED: gettext_noop("This invitation has been accepted already. Sign in with your email address and password."),
    LINK_EXPIRED: gettext_noop("This invitation has expired. Ask the person who invited you to send it again."),
    LINK_WITHDRAWN: gettext_noop("This invitation was withdrawn. Ask the person who invited you if you think that is a mistake."),
}


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The pending, unexpired invitation this link opens, or `LinkUnusable` saying why not."""
    token = token or ""
    invitation = None
    if 20 <= len(token) <= 100:
        hashed = token_hash(token)
        qs = Invitation.objects.select_related("district", "school", "partner", "invited_by")
        if lock:
            qs = qs.select_for_update(of=("self",))
        invitation = qs.filter(token_hash=hashed).first()
        if invitation is not None and not hmac.compare_digest(invitation.token_hash, hashed):
            invitation = None
    if invitation is None:
        reason = LINK_UNKNOWN
    elif invitation.state == Invitation.State.ACCEPTED:
        reason = LINK_USED
    elif invitation.state == Invitation.State.WITHDRAWN:
        reason = LINK_WITHDRAWN
    elif invitation.is_expired:
        reason = LINK_EXPIRED
    else:
        return invitation
    raise errors.LinkUnusable(_(LINK_MESSAGES[reason]), reason=reason)


def _free_username(email: str) -> str:
    User = get_user_model()
    base = email[:140]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _audit_granted(invitation: Invitation, user, *, detail: str) -> None:
    audit_record(actor=user, action="joining.accept", obj=invitation, district=invitation.district,
                 detail=f"{detail}: role {invitation.role}, district {invitation.district or 'none (statewide)'}, "
                        f"invited by {invitation.invited_by.username if invitation.invited_by else '(removed)'}")


@transaction.atomic
def invitation_accept(*, token: str, name: str, language: str, password: str | None):
    """Create the invitee's account from the invitation and mark it accepted; returns the new user. With
    no password (single sign-on) the account has none and signs in through its provider only.

    The invitation row is locked first (PostgreSQL), so a second acceptance at the same moment waits and
    then finds it used; an address that has an account by then is refused (`HasAccount`), never doubled."""
    invitation = invitation_for_token(token, lock=True)
    if account_for_email(invitation.email) is not None:
        raise errors.HasAccount(_("An account with this email address exists already: sign in to accept."))
    name = normalise_name((name or "").strip()) or invitation.name
    first, _sep, last = name.partition(" ")
    language = language if language in LANGUAGES else invitation.language
    try:
        with changes_by(by=invitation.invited_by, via=f"invitation {invitation.pk}"):  # audited role and district
            person = person_create(
                username=_free_username(invitation.email), email=invitation.email, first_name=first[:150],
                last_name=last[:150], password=password, roles=(invitation.role,),
                home_district=invitation.district, school=invitation.school, partner=invitation.partner,
                languages=tuple(Language.objects.filter(code=language)))
    except InvalidPerson as exc:
        raise errors.InvalidInvitation(str(exc)) from None
    invitation.state = Invitation.State.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.account = person.user
    invitation.name = name[:NAME_MAX]
    invitation.language = language
    invitation.save(update_fields=["state", "accepted_at", "account", "name", "language", "updated_at"])
    _audit_granted(invitation, person.user, detail="account created")
    return person.user


@transaction.atomic
def invitation_accept_existing(*, token: str, user):
    """Link the invitation to the signed-in account whose address it was sent to, giving its role (and its
    district and organisation where the profile has none). Never makes a second account."""
    invitation = invitation_for_token(token, lock=True)
    if email_normalise(user.email) != invitation.email:
        raise errors.WrongAccount(_("This invitation was sent to another email address. Sign out, then open the "
                                    "link again."))
    from hub.models import Person

    person, _created = Person.objects.get_or_create(user=user)
    if invitation.role in DISTRICT_ROLES and person.home_district_id not in (None, invitation.district_id):
        raise errors.InvalidInvitation(_("Your account belongs to %(district)s; this invitation is for "
                                         "%(other)s. Ask your coordinator to move you first.") % {
            "district": person.home_district, "other": invitation.district})
    with changes_by(by=invitation.invited_by, via=f"invitation {invitation.pk}"):  # audited role and district
        changed = []
        if person.home_district_id is None and invitation.district_id:
            person.home_district = invitation.district
            changed.append("home_district")
        if person.school_id is None and person.partner_id is None and (invitation.school_id or invitation.partner_id):
            person.school, person.partner = invitation.school, invitation.partner
            changed += ["school", "partner"]
        if changed:
            person.save(update_fields=[*changed, "updated_at"])
        group = roles_ensure()[invitation.role]
        user.groups.add(group)
        if invitation.role in CONTENT_EDITORS and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    user.__dict__.pop("_hub_roles", None)
    invitation.state = Invitation.State.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.account = user
    invitation.save(update_fields=["state", "accepted_at", "account", "updated_at"])
    _audit_granted(invitation, user, detail=f"linked to the existing account (roles before: "
                                             f"{', '.join(sorted(roles_of(user) - {invitation.role})) or 'none'})")
    return user


# -- learners from elsewhere --------------------------------------------------------------------------
#
# - Sign-up (`learner_signup`) makes the account at once, inactive and without a role, plus its request;
#   approving (`learner_approve`) activates it with the Learner role, refusing (`learner_refuse`) keeps it
#   inactive. With LEARNER_SIGNUP_APPROVAL=open the sign-up approves itself (and the person is signed in).
# - An address that has an account or a request already gets no second one: its owner is emailed what to
#   do instead, and the page says the same as for a new request, so the form tells nobody whether an
#   address is known.
# - A decision holds a row lock on the request: two trainers approving at once make one approval, one
#   email and one audit entry; the second is told who decided.

LEARNER_LIMITS = {"name": NAME_MAX, "organisation": 160, "region": 100, "country": 100}
REASON_MAX = 500
_FORMULA_START = ("=", "+", "-", "@")


@dataclass
class LearnerData:
    name: str
    email: str
    organisation: str
    region: str  # state, province or region
    country: str
    password: str
    language: str = "en"


@dataclass
class LearnerSignupResult:
    request: LearnerRequest | None  # None when the address was known already (its owner was emailed)
    created: bool  # a new request (False: known address, or this very form sent again)

    @property
    def approved(self) -> bool:
        return self.request is not None and self.request.state == self.request.State.APPROVED


def learner_text(value: str, *, field: str, label) -> str:
    """One free-text field of the sign-up as it is kept: NFC, trimmed, required, at most its limit, without
    control characters, markup signs, or a spreadsheet formula's first sign. Refuses with a message for
    the person (`InvalidLearnerRequest`, naming the field)."""
    limit = LEARNER_LIMITS[field]
    value = normalise_name(value or "")
    if not value:
        raise errors.InvalidLearnerRequest(capfirst(_("Write %(label)s.") % {"label": label}), field=field)
    if len(value) > limit:
        raise errors.InvalidLearnerRequest(capfirst(_("%(label)s is too long: please use at most %(limit)d "
                                                      "characters.") % {"label": label, "limit": limit}), field=field)
    if _drop_controls(value) != value:
        raise errors.InvalidLearnerRequest(_("Please write %(label)s without control characters.") % {
            "label": label}, field=field)
    if "<" in value or ">" in value:
        raise errors.InvalidLearnerRequest(_("Please write %(label)s without the signs < and >.") % {
            "label": label}, field=field)
    if value.startswith(_FORMULA_START):
        raise errors.InvalidLearnerRequest(_("Please start %(label)s with a letter or a number.") % {
            "label": label}, field=field)
    return value


def learner_labels() -> dict:
    return {"name": _("your name"), "organisation": _("your organisation"),
            "region": _("your state, province or region"), "country": _("your country")}


def _learner_clean(data: LearnerData) -> LearnerData:
    labels = learner_labels()
    cleaned = {field: learner_text(getattr(data, field), field=field, label=labels[field]) for field in LEARNER_LIMITS}
    email = email_normalise(data.email)
    try:
        validate_email(email)
        if len(email) > 254:
            raise ValidationError("too long")
    except ValidationError:
        raise errors.InvalidLearnerRequest(_("Write a valid email address."), field="email") from None
    if data.language not in LANGUAGES:
        raise errors.InvalidLearnerRequest(_("Choose English or Spanish."), field="language")
    return LearnerData(email=email, password=data.password, language=data.language, **cleaned)


def _learner_mail(request, template: str, subject: str, *, kind: str, key: str = "", **context) -> None:
    with translation.override(request.language):
        subject = str(_(subject))
        body, html = mail_render(f"joining/email/{template}", {
            "request": request, "login_link": absolute_url(f"{reverse('login')}?next={quote(landing_url())}"),
            "reset_link": absolute_url(reverse("password_reset")), "subject": subject, **context},
            language=request.language)
        mail_on_commit(to=request.email, subject=subject, body=body, html=html, kind=kind, key=key,
                       language=request.language)


def _learner_already_mail(data: LearnerData, *, known) -> None:
    """To the owner of an address that has an account or a request: what to do instead of signing up."""
    state = known.state if isinstance(known, LearnerRequest) else "account"
    # In the language of the address's owner (their request's, or their account's), not the form's.
    language = known.language if isinstance(known, LearnerRequest) else language_of(known)
    with translation.override(language):
        subject = str(_("Your request to take LEAP 101"))
        body, html = mail_render("joining/email/learner_known", {
            "name": data.name, "state": state, "login_link": absolute_url(reverse("login")),
            "reset_link": absolute_url(reverse("password_reset")), "subject": subject}, language=language)
        # At most one such notice per address a day, however often the form is sent with it.
        mail_on_commit(to=data.email, subject=subject, body=body, html=html, kind="other",
                       language=language,
                       key=f"learner-known:{token_hash(data.email)[:32]}:{timezone.localdate().isoformat()}")


def learner_signup(*, data: LearnerData, form_token=None) -> LearnerSignupResult:
    """Someone from outside the program's districts asks to take LEAP 101.

    Refuses a field that cannot be kept or a password Django's validators refuse (`InvalidLearnerRequest`),
    changing nothing. An address with an account or a request: nothing is made, and its owner is emailed.
    The same form sent again (`form_token`) returns the request it made, without another email."""
    data = _learner_clean(data)
    if form_token is not None:
        again = LearnerRequest.objects.filter(form_token=form_token).select_related("account").first()
        if again is not None:
            return LearnerSignupResult(request=again, created=False)
    first, _sep, last = data.name.partition(" ")
    try:
        password_validation.validate_password(data.password, get_user_model()(
            username=data.email, email=data.email, first_name=first, last_name=last))
    except ValidationError as exc:
        raise errors.InvalidLearnerRequest(" ".join(exc.messages), field="password1") from None
    known = LearnerRequest.objects.filter(email=data.email).first() or account_for_email(data.email)
    if known is not None:
        with transaction.atomic():
            _learner_already_mail(data, known=known)
        return LearnerSignupResult(request=None, created=False)
    open_signup = learner_approval_mode() == APPROVAL_OPEN
    try:
        with transaction.atomic():
            request = _learner_create(data, form_token=form_token, open_signup=open_signup)
    except (IntegrityError, InvalidPerson) as race:  # the same address, or this very form, at the same moment
        # A sign-up with this address committed between the check above and this one's account: a
        # constraint refuses the row (IntegrityError), or the user name it found free is taken now.
        again = LearnerRequest.objects.filter(form_token=form_token).first() if form_token else None
        if isinstance(race, InvalidPerson) and again is None and not (
                LearnerRequest.objects.filter(email=data.email).exists() or account_for_email(data.email)):
            raise
        return LearnerSignupResult(request=again, created=False)
    return LearnerSignupResult(request=request, created=True)


def _learner_create(data: LearnerData, *, form_token, open_signup: bool):
    from hub.roles import LEARNER

    first, _sep, last = data.name.partition(" ")
    person = person_create(
        username=_free_username(data.email), email=data.email, first_name=first[:150], last_name=last[:150],
        password=data.password, roles=(LEARNER,) if open_signup else (),
        languages=tuple(Language.objects.filter(code=data.language)), job_title="")
    user = person.user
    if not open_signup:
        user.is_active = False
        user.save(update_fields=["is_active"])
    now = timezone.now()
    request = LearnerRequest.objects.create(
        account=user, email=data.email, name=data.name, organisation=data.organisation, region=data.region,
        country=data.country, language=data.language, form_token=form_token,
        state=LearnerRequest.State.APPROVED if open_signup else LearnerRequest.State.PENDING,
        decided_at=now if open_signup else None)
    audit_record(actor=user, action="joining.learner_signup", obj=request,
                 detail=f"{request.organisation}; {request.region}, {request.country}")
    if open_signup:
        audit_record(actor=user, action="joining.learner_approve", obj=request,
                     detail=f"approved at once (LEARNER_SIGNUP_APPROVAL=open): role {LEARNER}, no district")
        _learner_mail(request, "learner_approved", gettext_noop("You can start LEAP 101"), kind="confirmation",
                      key=f"learner:{request.pk}:approved")
    else:
        _learner_mail(request, "learner_received", gettext_noop("We got your request to take LEAP 101"),
                      kind="confirmation", key=f"learner:{request.pk}:received")
    return request


def _learner_locked(learner_request, *, by, form_token):
    """The request, locked, if `by` may decide it and it still waits; the request itself when this very
    form decided it already (a double tap); `AlreadyDecided` naming who decided otherwise."""
    if not may_decide_learners(by):
        raise errors.NotAllowed(_("Only trainers and state staff approve learners."))
    locked = learner_requests_for(by).select_for_update(of=("self",)).filter(pk=learner_request.pk).first()
    if locked is None:
        raise errors.NotAllowed(_("No such request."))
    if locked.state != locked.State.PENDING:
        if form_token is not None and locked.decision_token == form_token:
            return locked, False
        who = locked.decided_by.get_full_name() or locked.decided_by.username if locked.decided_by else _(
            "the open sign-up")
        raise errors.AlreadyDecided(_("%(name)s’s request was %(state)s already, by %(who)s.") % {
            "name": locked.name, "state": locked.get_state_display().lower(), "who": who})
    return locked, True


@transaction.atomic
def learner_approve(*, learner_request, by, form_token=None):
    """Approve a waiting request: the account becomes active with the Learner role (no district), the
    decision is audited and the person is emailed a sign-in link, in their language."""
    from hub.roles import LEARNER

    request, fresh = _learner_locked(learner_request, by=by, form_token=form_token)
    if not fresh:
        return request
    user = request.account
    user.groups.add(roles_ensure()[LEARNER])
    user.is_active = True
    user.save(update_fields=["is_active"])
    user.__dict__.pop("_hub_roles", None)
    request.state = request.State.APPROVED
    request.decided_by, request.decided_at, request.decision_token = by, timezone.now(), form_token
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_token", "updated_at"])
    audit_record(actor=by, action="joining.learner_approve", obj=request,
                 detail=f"role {LEARNER}, no district, for {user.username} ({request.region}, {request.country})")
    _learner_mail(request, "learner_approved", gettext_noop("You can start LEAP 101"), kind="confirmation",
                  key=f"learner:{request.pk}:approved")
    return request


@transaction.atomic
def learner_refuse(*, learner_request, by, reason: str = "", form_token=None):
    """Refuse a waiting request: the account stays inactive (it cannot sign in), the reason is kept for the
    Hub (not sent), and the person gets a polite email in their language."""
    reason = normalise_name(reason or "")
    if len(reason) > REASON_MAX or _drop_controls(reason) != reason:
        raise errors.InvalidLearnerRequest(_("The reason must be at most %(n)d characters of text.") % {
            "n": REASON_MAX}, field="reason")
    request, fresh = _learner_locked(learner_request, by=by, form_token=form_token)
    if not fresh:
        return request
    request.state = request.State.REFUSED
    request.decided_by, request.decided_at, request.decision_token = by, timezone.now(), form_token
    request.reason = reason
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_token", "reason", "updated_at"])
    audit_record(actor=by, action="joining.learner_refuse", obj=request,
                 detail=f"{request.account.username}: {reason or 'no reason given'}")
    _learner_mail(request, "learner_refused", gettext_noop("Your request to take LEAP 101"), kind="other",
                  key=f"learner:{request.pk}:refused")
    return request


@transaction.atomic
def sso_account_for(*, email: str, verified: bool, invitation_token: str | None = None, name: str = ""):
    """The Hub account a single sign-on opens, by the provider's verified address only: the invitation's
    when it came from an invitation's page (accepting it through `invitation_accept` or
    `invitation_accept_existing`: the same rules as a password), else the account that uses the address.
    Anyone else gets `SsoRefused` and nothing is written: an unverified address, an address with no
    account, an invitation sent to another address. `LinkUnusable` when the invitation is no longer
    pending."""
    if not verified or not email:
        raise errors.SsoRefused(_("Your school account did not confirm your email address, so the Hub cannot "
                                  "tell who you are. Sign in with your password, or ask your coordinator."),
                                reason=SSO_UNVERIFIED)
    email = email_normalise(email)
    if invitation_token:
        invitation = invitation_for_token(invitation_token)
        if invitation.email != email:
            raise errors.SsoRefused(_("This invitation was sent to %(invited)s, but your school account is "
                                      "%(email)s. Sign in with the account the invitation was sent to, or "
                                      "ask your coordinator for a new invitation.") % {
                "invited": invitation.email, "email": email}, reason=SSO_WRONG_INVITATION)
        existing = account_for_email(email)
        if existing is not None:
            return invitation_accept_existing(token=invitation_token, user=existing)
        return invitation_accept(token=invitation_token, name=name, language=invitation.language, password=None)
    user = account_for_email(email)
    if user is not None and user.is_active:
        return user
    if user is not None:
        raise errors.SsoRefused(_("The Hub account for %(email)s is switched off: ask your coordinator.") % {
            "email": email}, reason=SSO_UNKNOWN)
    if pending_invitation_for_email(email) is not None:
        raise errors.SsoRefused(_("An invitation to the Hub is waiting for %(email)s. Open the link in your "
                                  "invitation email and sign in with your school account there.") % {
            "email": email}, reason=SSO_INVITED)
    raise errors.SsoRefused(_("There is no Hub account for %(email)s. The Hub is by invitation: ask your "
                              "coordinator to invite you.") % {"email": email}, reason=SSO_UNKNOWN)
