"""Open Badges 3.0 reads: the Hub's issuer profile, achievements, published keys, status lists, and the
check of a credential someone pastes (`credential_verify`).

A certificate is also issued as an OpenBadgeCredential (W3C Verifiable Credentials 2.0), secured as a
VC-JWT (VC-JOSE-COSE: `typ` "vc+jwt", signed ES256 with the `kid` of one of the Hub's keys). Its
`credentialStatus` points at a Bitstring Status List whose bit is the certificate's revocation, read
from `Certificate.is_revoked` — the same fact `courses.selectors.certification_state_of` reads — so a
verifier anywhere sees what the gate sees. Writes (keys, status indexes, signing) are in
`courses.badge_services`.
"""

import base64
import gzip
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from jwcrypto import jwk, jws

from courses.models import BadgeSigningKey, Certificate, CoursePage
from hub.dates import day_label

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
ALGORITHM = "ES256"
MEDIA_TYPE = "application/vc+jwt"
# Bits per status list: 131,072 (16 KB uncompressed), the spec's minimum, for herd privacy.
LIST_BITS = 16 * 1024 * 8
MAX_CREDENTIAL_BYTES = 64 * 1024
_COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


# -- addresses (all from settings.WAGTAILADMIN_BASE_URL) ---------------------------------------------

def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def issuer_id() -> str:
    return absolute(reverse("badges:issuer"))


def achievement_id(course_code: str) -> str:
    return absolute(reverse("badges:achievement", args=[course_code]))


def status_list_id(number: int) -> str:
    return absolute(reverse("badges:status_list", args=[number]))


def credential_id(certificate: Certificate) -> str:
    return absolute(reverse("courses:certificate_verify", args=[certificate.code]))


def status_lists_in_use() -> int:
    """How many status lists are published: each is kept at most about half full, so a drawn index
    tells little about which certificate it is."""
    allocated = Certificate.objects.filter(status_index__isnull=False).count()
    return allocated // (LIST_BITS // 2) + 1


def status_list_place(status_index: int) -> tuple[int, int]:
    """(list number from 1, index in that list) of a certificate's global status index."""
    return status_index // LIST_BITS + 1, status_index % LIST_BITS


# -- published documents --------------------------------------------------------------------------

def issuer_profile(*, with_context: bool = True) -> dict:
    """The Hub as an Open Badges `Profile` (what `issuer` of every credential names)."""
    profile = {"id": issuer_id(), "type": ["Profile"], "name": settings.WAGTAIL_SITE_NAME,
               "url": absolute("/"), "description": "Training and community of practice for LEAP home visitors."}
    return {"@context": [VC_CONTEXT, OB_CONTEXT], **profile} if with_context else profile


def _criteria(course: CoursePage) -> str:
    words = f"Complete every required module of {course.title}, passing its knowledge checks"
    if course.requires_live_practice:
        words += ", and attend a live practice session"
    return words + f". The certificate is valid for {course.certificate_valid_months} months."


def achievement(course: CoursePage, *, with_context: bool = True) -> dict:
    """The course as an Open Badges `Achievement`."""
    body = {"id": achievement_id(course.code), "type": ["Achievement"], "achievementType": "Certificate",
            "name": course.title, "description": course.summary or course.title,
            "criteria": {"id": absolute(course.url or "/"), "narrative": _criteria(course)},
            "creator": issuer_profile(with_context=False)}
    return {"@context": [VC_CONTEXT, OB_CONTEXT], **body} if with_context else body


def published_keys():
    """Every key a verifier may check against: the active one and the retired ones (not withdrawn)."""
    return BadgeSigningKey.objects.filter(withdrawn_at__isnull=True)


def jwks() -> dict:
    return {"keys": [key.public_jwk for key in published_keys()]}


def revoked_bits(number: int) -> bytearray:
    """The uncompressed bitstring of status list `number`: bit i (left-most first) is set when the
    certificate at that place is revoked (and not reinstated since)."""
    bits = bytearray(LIST_BITS // 8)
    start = (number - 1) * LIST_BITS
    candidates = (Certificate.objects.filter(status_index__gte=start, status_index__lt=start + LIST_BITS,
                                             revoked_at__isnull=False)
                  .only("status_index", "revoked_at", "reinstated_at"))
    for certificate in candidates:
        if certificate.is_revoked:
            place = certificate.status_index - start
            bits[place // 8] |= 0x80 >> (place % 8)
    return bits


def encoded_list(bits: bytes) -> str:
    """GZIP, then multibase base64url without padding (the "u" prefix), as the spec writes it."""
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decoded_list(encoded: str) -> bytes:
    if encoded.startswith("u"):
        encoded = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


def bit_at(bits: bytes, index: int) -> bool:
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_credential_body(number: int, *, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    list_id = status_list_id(number)
    return {
        "@context": [VC_CONTEXT], "id": list_id, "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id(), "validFrom": iso(now),
        "credentialSubject": {"id": f"{list_id}#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
                              "encodedList": encoded_list(revoked_bits(number))},
    }


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value) -> datetime | None:
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


# -- checking a credential ------------------------------------------------------------------------

class Verdict:
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    NOT_OURS = "not_ours"
    MALFORMED = "malformed"


@dataclass(frozen=True)
class CredentialVerdict:
    state: str
    reasons: tuple[str, ...]
    holder: str = ""
    achievement: str = ""
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    kid: str = ""

    @property
    def is_valid(self) -> bool:
        return self.state == Verdict.VALID

    @property
    def label(self) -> str:
        return {
            Verdict.VALID: _("Valid"), Verdict.EXPIRED: _("Expired"), Verdict.NOT_YET_VALID: _("Not valid yet"),
            Verdict.REVOKED: _("Revoked"), Verdict.NOT_OURS: _("Not signed by this Hub"),
            Verdict.MALFORMED: _("Not a credential this Hub can read"),
        }[self.state]


def _b64json(segment: str):
    try:
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except ValueError:
        return None


def looks_like_credential(token: str) -> bool:
    """The compact form of a signed JWT: three base64url parts separated by dots, at most 64 KB."""
    return len(token) <= MAX_CREDENTIAL_BYTES and bool(_COMPACT_JWS.match(token))


def credential_verify(token: str, *, now: datetime | None = None) -> CredentialVerdict:
    """Check a VC-JWT as any verifier would, against what the Hub publishes: the signature by `kid` against
    the published keys (ES256 only: `none` or any other algorithm is refused), the Open Badges shape and
    issuer, validFrom/validUntil against `now`, and the revocation bit of its status list entry."""
    now = now or timezone.now()
    token = (token or "").strip()
    if not looks_like_credential(token):
        return CredentialVerdict(Verdict.MALFORMED, (_("This is not a signed credential (a JWT in three parts)."),))
    header = _b64json(token.split(".", 1)[0])
    if not isinstance(header, dict):
        return CredentialVerdict(Verdict.MALFORMED, (_("Its header cannot be read."),))
    alg, kid = header.get("alg"), header.get("kid")
    if alg != ALGORITHM:
        return CredentialVerdict(Verdict.NOT_OURS, (
            _("It is signed with %(alg)s; this Hub signs only with %(ours)s.") % {"alg": str(alg)[:20], "ours": ALGORITHM},))
    if not isinstance(kid, str) or not kid:
        return CredentialVerdict(Verdict.NOT_OURS, (_("It does not name the key that signed it."),))
    key = BadgeSigningKey.objects.filter(kid=kid[:64]).first()
    if key is None or key.withdrawn_at is not None:
        reason = (_("It was signed with a key this Hub has withdrawn.") if key is not None
                  else _("It was signed with a key this Hub does not publish."))
        return CredentialVerdict(Verdict.NOT_OURS, (reason,), kid=kid[:64])
    try:
        signed = jws.JWS()
        signed.deserialize(token)
        signed.allowed_algs = [ALGORITHM]
        signed.verify(jwk.JWK(**key.public_jwk), alg=ALGORITHM)
    except (jws.InvalidJWSSignature, jws.InvalidJWSObject, ValueError, TypeError):
        return CredentialVerdict(Verdict.NOT_OURS, (
            _("The signature does not match: the credential was changed after it was signed, "
              "or someone other than this Hub signed it."),), kid=kid)
    try:
        claims = json.loads(signed.payload)
    except ValueError:
        claims = None
    return _judge(claims, kid=kid, now=now)


def _judge(claims, *, kid: str, now: datetime) -> CredentialVerdict:
    def malformed(reason):
        return CredentialVerdict(Verdict.MALFORMED, (reason,), kid=kid)

    if not isinstance(claims, dict):
        return malformed(_("Its content is not a credential."))
    types = claims.get("type") if isinstance(claims.get("type"), list) else []
    if "OpenBadgeCredential" not in types or VC_CONTEXT not in (claims.get("@context") or []):
        return malformed(_("It is not an Open Badges credential."))
    issuer = claims.get("issuer")
    if (issuer.get("id") if isinstance(issuer, dict) else issuer) != issuer_id():
        return CredentialVerdict(Verdict.NOT_OURS, (_("It names another issuer."),), kid=kid)
    subject = claims.get("credentialSubject") if isinstance(claims.get("credentialSubject"), dict) else {}
    badge = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    holder = next((i.get("identityHash") for i in subject.get("identifier") or []
                   if isinstance(i, dict) and i.get("identityType") == "name" and not i.get("hashed")), "")
    valid_from, valid_until = parse_iso(claims.get("validFrom")), parse_iso(claims.get("validUntil"))
    facts = {"holder": str(holder or "")[:200], "achievement": str(badge.get("name") or "")[:200],
             "valid_from": valid_from, "valid_until": valid_until, "kid": kid}
    if valid_from is None or valid_until is None:
        return malformed(_("Its validity dates are missing or cannot be read."))
    status = claims.get("credentialStatus") if isinstance(claims.get("credentialStatus"), dict) else {}
    place = _status_place(status)
    if place is None:
        return malformed(_("Its status list entry is missing or does not point at this Hub's list."))
    number, index = place
    if bit_at(revoked_bits(number), index):
        return CredentialVerdict(Verdict.REVOKED, (_("The Hub has revoked this certificate."),), **facts)
    if valid_until <= now:
        return CredentialVerdict(Verdict.EXPIRED, (
            _("It expired on %(day)s.") % {"day": day_label(valid_until)},), **facts)
    if valid_from > now:
        return CredentialVerdict(Verdict.NOT_YET_VALID, (
            _("It is valid only from %(day)s.") % {"day": day_label(valid_from)},),
            **facts)
    return CredentialVerdict(Verdict.VALID, (_("Signed by this Hub, within its dates, and not revoked."),), **facts)


def _status_place(status: dict) -> tuple[int, int] | None:
    if status.get("type") != "BitstringStatusListEntry" or status.get("statusPurpose") != "revocation":
        return None
    index = status.get("statusListIndex")
    if not isinstance(index, str) or not index.isdigit() or len(index) > 9 or int(index) >= LIST_BITS:
        return None
    url = status.get("statusListCredential")
    prefix = status_list_id(1)[: -len("1")]
    if not isinstance(url, str) or not url.startswith(prefix) or not url[len(prefix):].isdigit():
        return None
    number = int(url[len(prefix):])
    return (number, int(index)) if 1 <= number <= 10_000 else None
