"""Open Badges 3.0 writes: the Hub's signing keys (made on first use, rotated, withdrawn), a certificate's
status index (drawn once), and signing the credential and the status lists as VC-JWTs.

The shapes and the checks are `courses.badge_selectors`; this module only adds what changes state or
needs the private key.
"""

import hashlib
import json
import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from jwcrypto import jwe, jwk, jwt
from jwcrypto.common import base64url_encode

from courses import errors
from courses.badge_selectors import (
    ALGORITHM,
    LIST_BITS,
    OB_CONTEXT,
    VC_CONTEXT,
    achievement,
    credential_id,
    iso,
    issuer_id,
    issuer_profile,
    status_list_credential_body,
    status_list_id,
    status_list_place,
    status_lists_in_use,
)
from courses.models import BadgeSigningKey, Certificate
from courses.selectors import State, certification_state_of

# -- keys -----------------------------------------------------------------------------------------


def _sealing_key() -> jwk.JWK:
    """The symmetric key private JWKs are sealed with: from BADGE_KEY_SECRET, else from SECRET_KEY."""
    secret = settings.BADGE_KEY_SECRET or f"derived-from-secret-key:{settings.SECRET_KEY}"
    digest = hashlib.sha256(f"hub-badge-signing-keys:{secret}".encode()).digest()
    return jwk.JWK(kty="oct", k=base64url_encode(digest))


def _seal(private: jwk.JWK) -> str:
    sealed = jwe.JWE(private.export_private().encode(), protected={"alg": "A256KW", "enc": "A256GCM"})
    sealed.add_recipient(_sealing_key())
    return sealed.serialize(compact=True)


def private_key(key: BadgeSigningKey) -> jwk.JWK:
    sealed = jwe.JWE()
    try:
        sealed.deserialize(key.private_jwk_sealed, key=_sealing_key())
    except jwe.InvalidJWEData as error:
        raise ImproperlyConfigured(
            f"The badge signing key {key.kid} cannot be unsealed: BADGE_KEY_SECRET (or SECRET_KEY, which it "
            "defaults to) changed since it was made. Restore the old secret, or run `manage.py badge_keys "
            "rotate` (a new key signs; badges already issued keep verifying).") from error
    return jwk.JWK.from_json(sealed.payload.decode())


def _key_new() -> BadgeSigningKey:
    kid = f"hub-{timezone.now():%Y%m%d}-{secrets.token_hex(4)}"
    private = jwk.JWK.generate(kty="EC", crv="P-256", kid=kid)
    public = {**private.export_public(as_dict=True), "use": "sig", "alg": ALGORITHM}
    return BadgeSigningKey.objects.create(kid=kid, public_jwk=public, private_jwk_sealed=_seal(private))


def badge_key_active() -> BadgeSigningKey:
    """The key that signs now; the first one is made here, on first use (`make run`, tests)."""
    key = BadgeSigningKey.objects.filter(active=True).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            return _key_new()
    except IntegrityError:  # another process made it first (one active key: a unique constraint)
        return BadgeSigningKey.objects.get(active=True)


@transaction.atomic
def badge_key_rotate() -> BadgeSigningKey:
    """A new active key; the old one is retired: it signs nothing more but stays published, so every
    credential it signed keeps verifying."""
    now = timezone.now()
    BadgeSigningKey.objects.select_for_update().filter(active=True).update(active=False, retired_at=now)
    return _key_new()


@transaction.atomic
def badge_key_withdraw(*, kid: str) -> BadgeSigningKey:
    """Stop publishing a retired key (it leaked, say): what it signed no longer verifies."""
    key = BadgeSigningKey.objects.select_for_update().filter(kid=kid).first()
    if key is None:
        raise errors.CertificateError(f"No badge key has the id {kid!r}.")
    if key.active:
        raise errors.CertificateError("Rotate first: the active key cannot be withdrawn.")
    if key.withdrawn_at is None:
        key.withdrawn_at = timezone.now()
        key.save(update_fields=["withdrawn_at", "updated_at"])
    return key


def _sign(claims: dict) -> str:
    key = badge_key_active()
    token = jwt.JWT(header={"alg": ALGORITHM, "kid": key.kid, "typ": "vc+jwt", "cty": "vc"},
                    claims=json.dumps(claims, separators=(",", ":"), sort_keys=False))
    token.make_signed_token(private_key(key))
    return token.serialize()


# -- status lists ---------------------------------------------------------------------------------

def certificate_status_index(*, certificate: Certificate) -> int:
    """The certificate's place in the status lists: drawn at random (herd privacy, as the spec advises)
    among the lists in use, once; a drawn index is never given to another certificate."""
    for _attempt in range(20):
        current = Certificate.objects.filter(pk=certificate.pk).values_list("status_index", flat=True).first()
        if current is not None:
            certificate.status_index = current
            return current
        candidate = secrets.randbelow(status_lists_in_use() * LIST_BITS)
        try:
            with transaction.atomic():
                Certificate.objects.filter(pk=certificate.pk, status_index__isnull=True).update(
                    status_index=candidate)
        except IntegrityError:  # taken by another certificate: draw again
            continue
    raise errors.CertificateError("No free place in the status list could be drawn; try again.")


def status_list_credential(*, number: int) -> str:
    """Status list `number` as a signed VC-JWT (BitstringStatusListCredential)."""
    return _sign({**status_list_credential_body(number), "iss": issuer_id(), "iat": int(timezone.now().timestamp())})


# -- the credential -------------------------------------------------------------------------------

def _identity(email: str) -> dict:
    salt = secrets.token_hex(16)
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return {"type": "IdentityObject", "identityType": "emailAddress", "hashed": True,
            "identityHash": f"sha256${digest}", "salt": salt}


def badge_credential_issue(*, certificate: Certificate) -> str:
    """The certificate as an OpenBadgeCredential, signed as a VC-JWT by the active key.

    The holder is named, as on the certificate, and identified by a salted hash of their email address
    (an `IdentityObject` with `hashed: true`): someone who knows the address can check it, nobody can read
    it off the badge. Only a certificate that counts now (certified or expiring soon) is issued one.
    """
    certificate = Certificate.objects.select_related("person__user", "course").get(pk=certificate.pk)
    state = certification_state_of(certificate)  # the one rule of what counts (courses.selectors)
    if state == State.REVOKED:
        raise errors.CertificateError("This certificate is revoked: no digital badge is issued for it.")
    if state == State.EXPIRED:
        raise errors.CertificateError("This certificate has expired: renew it, and download the badge of the new one.")
    index = certificate_status_index(certificate=certificate)
    number, place = status_list_place(index)
    list_url = status_list_id(number)
    person, course = certificate.person, certificate.course
    identifiers = [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                    "identityHash": person.full_name}]
    if person.user.email:
        identifiers.append(_identity(person.user.email))
    subject = {"type": ["AchievementSubject"], "achievement": achievement(course, with_context=False),
               "identifier": identifiers}
    body = {
        "@context": [VC_CONTEXT, OB_CONTEXT], "id": credential_id(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{course.title} certificate", "issuer": issuer_profile(with_context=False),
        "validFrom": iso(certificate.issued_at), "validUntil": iso(certificate.valid_until),
        "credentialSubject": subject,
        "credentialStatus": {"id": f"{list_url}#{place}", "type": "BitstringStatusListEntry",
                             "statusPurpose": "revocation", "statusListIndex": str(place),
                             "statusListCredential": list_url},
    }
    # The payload is the credential itself (VC-JOSE-COSE, VC 2.0). The JWT claims repeat its facts (they
    # must not disagree), so a plain JWT library already refuses an expired badge; `vc` carries it again
    # for Open Badges 3.0 verifiers that read the credential from that claim (OB 3.0 §8.2).
    claims = {**body, "vc": body, "iss": issuer_id(), "jti": body["id"], "iat": int(timezone.now().timestamp()),
              "nbf": int(certificate.issued_at.timestamp()), "exp": int(certificate.valid_until.timestamp())}
    return _sign(claims)
