"""Each certificate is also an Open Badges 3.0 credential (a VC-JWT) that any verifier can check: the tests
verify it with jwcrypto's own JWT verification against the JWKS fetched from the Hub's own address, and
read the revocation bit from the Hub's published status list, as an outside verifier would."""

import base64
import gzip
import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from jwcrypto import jwk, jws, jwt
from jwcrypto.common import json_encode

from courses import services
from courses.badge_selectors import LIST_BITS, Verdict, credential_verify
from courses.badge_services import badge_credential_issue, badge_key_rotate
from courses.models import BadgeSigningKey, Certificate
from hub.roles import TRAINER

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_person):
    return make_person("tomas", roles=[TRAINER], first_name="Tomás", last_name="Rivera")


@pytest.fixture
def certificate(visitor, course, modules, finish_course):
    finish_course(visitor, course, modules)
    services.practice_credit_record(person=visitor, course_code="LEAP-101", source="test", source_ref="1",
                                    attended_on=date(2026, 3, 4))
    return Certificate.objects.get(person=visitor)


def published_keyset() -> jwk.JWKSet:
    response = Client().get("/.well-known/jwks.json")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    return jwk.JWKSet.from_json(response.content)


def library_verify(token: str, **kwargs) -> dict:
    """jwcrypto's own verification: signature by kid against the published JWKS, exp/nbf checked."""
    return json.loads(jwt.JWT(jwt=token, key=published_keyset(), algs=["ES256"], **kwargs).claims)


def status_bit(credential: dict) -> bool:
    """Fetch the credential's status list from its URL, verify it, and read its bit (W3C Bitstring Status List)."""
    entry = credential["credentialStatus"]
    response = Client().get(entry["statusListCredential"].removeprefix("http://testserver"))
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    status_list = library_verify(response.content.decode())
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")  # multibase base64url, no padding
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) * 8 == LIST_BITS >= 131072  # at least 16 KB uncompressed
    index = int(entry["statusListIndex"])
    bit = bool(bits[index // 8] & (0x80 >> (index % 8)))
    assert sum(bin(byte).count("1") for byte in bits) == int(bit)  # only this certificate's bit, if any
    return bit


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"


def test_an_issued_badge_verifies_with_the_library_against_the_published_keys(certificate, visitor):
    token = badge_credential_issue(certificate=certificate)
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["alg"] == "ES256" and header["typ"] == "vc+jwt" and header["kid"]
    credential = library_verify(token)
    assert credential["@context"] == ["https://www.w3.org/ns/credentials/v2",
                                      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"]["id"] == "http://testserver/badges/issuer"
    assert credential["validFrom"] == certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert credential["validUntil"] == certificate.valid_until.strftime("%Y-%m-%dT%H:%M:%SZ")
    subject = credential["credentialSubject"]
    assert subject["achievement"]["id"] == "http://testserver/badges/achievements/LEAP-101"
    email = [i for i in subject["identifier"] if i["identityType"] == "emailAddress"][0]
    assert email["hashed"] is True and visitor.user.email not in token and visitor.user.email not in json.dumps(
        credential)
    import hashlib
    assert email["identityHash"] == "sha256$" + hashlib.sha256(
        (visitor.user.email + email["salt"]).encode()).hexdigest()  # whoever knows the address can check it
    assert credential["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert status_bit(credential) is False
    verdict = credential_verify(token)
    assert verdict.state == Verdict.VALID and verdict.holder == "Ana Ruiz" and verdict.achievement == "LEAP-101 course"


def test_revoking_sets_the_bit_and_reinstating_clears_it(certificate, trainer):
    token = badge_credential_issue(certificate=certificate)
    credential = library_verify(token)
    services.certificate_revoke(certificate=certificate, by=trainer.user, reason="Issued by mistake")
    assert status_bit(credential) is True
    verdict = credential_verify(token)
    assert verdict.state == Verdict.REVOKED and "revoked" in verdict.reasons[0]
    services.certificate_reinstate(certificate=certificate, by=trainer.user, reason="Revoked by mistake")
    assert status_bit(credential) is False
    assert credential_verify(token).state == Verdict.VALID


def test_after_its_end_date_the_badge_is_expired_for_the_library_and_the_hub(certificate):
    token = badge_credential_issue(certificate=certificate)
    later = certificate.valid_until + timedelta(days=1)
    with pytest.raises(jwt.JWTExpired):
        library_verify(token, check_claims={"exp": int(later.timestamp())})
    verdict = credential_verify(token, now=later)
    assert verdict.state == Verdict.EXPIRED and "expired" in verdict.reasons[0]
    assert credential_verify(token, now=certificate.issued_at - timedelta(days=1)).state == Verdict.NOT_YET_VALID


def _forged(claims: dict, *, key: jwk.JWK, kid: str) -> str:
    token = jwt.JWT(header={"alg": "ES256", "kid": kid, "typ": "vc+jwt"}, claims=claims)
    token.make_signed_token(key)
    return token.serialize()


def test_a_badge_signed_by_another_key_altered_or_unsigned_is_refused(certificate):
    token = badge_credential_issue(certificate=certificate)
    claims = library_verify(token)
    kid = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["kid"]
    stranger = jwk.JWK.generate(kty="EC", crv="P-256")
    assert credential_verify(_forged(claims, key=stranger, kid=kid)).state == Verdict.NOT_OURS
    assert credential_verify(_forged(claims, key=stranger, kid="someone-else")).state == Verdict.NOT_OURS

    header, payload, signature = token.split(".")
    altered = dict(claims, validUntil="2099-01-01T00:00:00Z")
    tampered = ".".join([header, base64.urlsafe_b64encode(json_encode(altered).encode()).decode().rstrip("="),
                         signature])
    verdict = credential_verify(tampered)
    assert verdict.state == Verdict.NOT_OURS and "changed after it was signed" in verdict.reasons[0]

    none_header = base64.urlsafe_b64encode(b'{"alg":"none","kid":"%s"}' % kid.encode()).decode().rstrip("=")
    verdict = credential_verify(f"{none_header}.{payload}.")
    assert verdict.state in (Verdict.NOT_OURS, Verdict.MALFORMED)
    verdict = credential_verify(f"{none_header}.{payload}.x")
    assert verdict.state == Verdict.NOT_OURS and "none" in verdict.reasons[0]
    hs = jws.JWS(payload=json_encode(claims))
    hs.add_signature(jwk.JWK.generate(kty="oct", size=256), alg="HS256", protected={"alg": "HS256", "kid": kid})
    assert credential_verify(hs.serialize(compact=True)).state == Verdict.NOT_OURS

    for garbage in ("", "hello", "a.b.c", "é" * 10, "x" * 70_000 + ".a.b"):
        assert credential_verify(garbage).state == Verdict.MALFORMED


def test_after_rotation_old_badges_still_verify_and_new_ones_carry_the_new_key(certificate):
    before = badge_credential_issue(certificate=certificate)
    old_kid = BadgeSigningKey.objects.get(active=True).kid
    new_key = badge_key_rotate()
    after = badge_credential_issue(certificate=certificate)
    kids = [json.loads(base64.urlsafe_b64decode(t.split(".")[0] + "=="))["kid"] for t in (before, after)]
    assert kids == [old_kid, new_key.kid]
    assert {k["kid"] for k in published_keyset()["keys"]} == {old_kid, new_key.kid}
    for token in (before, after):
        library_verify(token)
        assert credential_verify(token).state == Verdict.VALID
    # the index was drawn once: both badges point at the same place
    assert library_verify(before)["credentialStatus"] == library_verify(after)["credentialStatus"]
    call_command("badge_keys", "withdraw", old_kid)
    assert credential_verify(before).state == Verdict.NOT_OURS
    assert credential_verify(after).state == Verdict.VALID


def test_the_private_key_is_stored_sealed(certificate):
    badge_credential_issue(certificate=certificate)
    key = BadgeSigningKey.objects.get(active=True)
    assert '"d"' not in key.private_jwk_sealed and "d" not in key.public_jwk
    assert key.private_jwk_sealed.count(".") == 4  # a compact JWE


def test_the_issuer_profile_and_achievement_are_published(course):
    client = Client()
    profile = client.get("/badges/issuer").json()
    assert profile["id"] == "http://testserver/badges/issuer" and profile["type"] == ["Profile"]
    assert profile["name"] and profile["url"] == "http://testserver/"
    badge = client.get("/badges/achievements/LEAP-101").json()
    assert badge["type"] == ["Achievement"] and badge["name"] == "LEAP-101 course"
    assert "live practice" in badge["criteria"]["narrative"]
    assert client.get("/badges/achievements/NOPE").status_code == 404
    assert client.get("/badges/status/2").status_code == 404


# -- pages ----------------------------------------------------------------------------------------

def test_my_training_offers_the_badge_and_the_holder_downloads_it(client, visitor, certificate):
    client.force_login(visitor.user)
    html = client.get(reverse("courses:my_training")).content.decode()
    url = reverse("courses:certificate_badge", args=[certificate.code])
    assert "Download your digital badge (Open Badges 3.0)" in html and url in html
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    assert f'filename="{certificate.code}.jwt"' in response["Content-Disposition"]
    assert credential_verify(response.content.decode()).state == Verdict.VALID


def test_someone_elses_badge_is_a_404(client, make_person, certificate):
    client.force_login(make_person("bea").user)
    assert client.get(reverse("courses:certificate_badge", args=[certificate.code])).status_code == 404


def test_the_public_page_checks_a_pasted_or_uploaded_badge(certificate, trainer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    token = badge_credential_issue(certificate=certificate)
    client = Client()
    page = client.get(reverse("courses:certificate_verify", args=[certificate.code])).content.decode()
    assert reverse("courses:credential_check") in page and 'name="credential"' in page
    response = client.post(reverse("courses:credential_check"), {"credential": token})
    assert response.status_code == 200 and "badge-valid" in response.content.decode()
    services.certificate_revoke(certificate=certificate, by=trainer.user, reason="Issued by mistake")
    upload = SimpleUploadedFile("badge.jwt", token.encode(), content_type="application/vc+jwt")
    html = client.post(reverse("courses:credential_check"), {"upload": upload}).content.decode()
    assert "badge-revoked" in html and "revoked this certificate" in html


@pytest.mark.parametrize("data", [
    {"credential": "not a badge at all"}, {"credential": ""}, {"credential": "a" * 70_000},
    {"credential": "\x00.\x00.\x00"},
])
def test_garbage_or_huge_pastes_get_a_form_error(data):
    response = Client().post(reverse("courses:credential_check"), data)
    assert response.status_code == 400 and 'class="error"' in response.content.decode() or \
        'class="form-errors"' in response.content.decode()


def test_a_binary_or_huge_file_gets_a_form_error():
    from django.core.files.uploadedfile import SimpleUploadedFile

    for upload in (SimpleUploadedFile("b.jwt", b"\xff\xfe\x00binary"), SimpleUploadedFile("b.jwt", b"a" * 70_000)):
        response = Client().post(reverse("courses:credential_check"), {"upload": upload})
        assert response.status_code == 400 and 'class="error"' in response.content.decode()


def test_the_badge_pages_in_spanish(certificate):
    client = Client(headers={"accept-language": "es"})
    html = client.post(reverse("courses:credential_check"), {"credential": "x"}).content.decode()
    assert "Comprobar" in html


def test_badge_keys_command_lists_and_rotates(capsys):
    call_command("badge_keys", "list")
    call_command("badge_keys", "rotate")
    call_command("badge_keys", "list")
    out = capsys.readouterr().out
    assert "active" in out and "retired" in out
    assert BadgeSigningKey.objects.filter(active=True).count() == 1
    assert timezone.now()


def test_a_status_index_already_taken_is_drawn_again_and_never_shared(certificate, make_person, monkeypatch):
    from courses import badge_services

    other = Certificate.objects.create(person=make_person("bea"), course=certificate.course,
                                       issued_at=certificate.issued_at, valid_until=certificate.valid_until)
    draws = iter([7, 7, 9])
    monkeypatch.setattr(badge_services.secrets, "randbelow", lambda n: next(draws))
    assert badge_services.certificate_status_index(certificate=certificate) == 7
    assert badge_services.certificate_status_index(certificate=other) == 9  # 7 was taken: drawn again
    assert badge_services.certificate_status_index(certificate=certificate) == 7  # drawn once, kept


def test_an_expired_or_revoked_certificate_gets_no_new_badge(client, visitor, certificate, trainer):
    client.force_login(visitor.user)
    url = reverse("courses:certificate_badge", args=[certificate.code])
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=timezone.now() - timedelta(days=800),
                                                         valid_until=timezone.now() - timedelta(days=1))
    response = client.get(url)
    assert response.status_code == 409 and "has expired" in response.content.decode()
    assert "Download your digital badge" not in client.get(reverse("courses:my_training")).content.decode()
    Certificate.objects.filter(pk=certificate.pk).update(valid_until=timezone.now() + timedelta(days=300))
    services.certificate_revoke(certificate=certificate, by=trainer.user, reason="Issued by mistake")
    response = client.get(url)
    assert response.status_code == 409 and "revoked" in response.content.decode()


def test_the_public_check_is_rate_limited_per_address(monkeypatch):
    from courses import badge_views

    monkeypatch.setattr(badge_views, "CHECKS_PER_WINDOW", 2)
    client = Client()
    for _attempt in range(2):
        assert client.post(reverse("courses:credential_check"), {"credential": "a.b.c"}).status_code == 200
    response = client.post(reverse("courses:credential_check"), {"credential": "a.b.c"})
    assert response.status_code == 429 and "Too many badges checked" in response.content.decode()


def test_a_changed_sealing_secret_is_named_and_a_rotation_recovers(certificate, settings):
    from django.core.exceptions import ImproperlyConfigured

    before = badge_credential_issue(certificate=certificate)
    settings.BADGE_KEY_SECRET = "another-secret"
    with pytest.raises(ImproperlyConfigured, match="BADGE_KEY_SECRET"):
        badge_credential_issue(certificate=certificate)
    call_command("badge_keys", "rotate")
    assert credential_verify(badge_credential_issue(certificate=certificate)).state == Verdict.VALID
    assert credential_verify(before).state == Verdict.VALID
