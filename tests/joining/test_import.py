"""A staff list (CSV): per-row errors with line numbers, good rows kept, a re-import changing nothing,
existing accounts reported, the file refused whole when it cannot be read or is too big."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.audit.models import AuditEntry
from hub.joining import services
from hub.joining.errors import NotAllowed
from hub.joining.models import Invitation
from tests.joining.conftest import csv_file, token_in

pytestmark = pytest.mark.django_db
HEADER = "name,email,school_or_partner,role,language\n"


def run(inviters, text, *, by="carla", district="Hartford", orgs=None, encoding="utf-8"):
    from django.contrib.auth import get_user_model

    from hub.models import District

    user = get_user_model().objects.get(pk=inviters[by].user.pk)  # fresh: no roles read before
    return services.invitations_import(file=csv_file(text, encoding), by=user,
                                       district=District.objects.get(name=district) if district else None)


def test_good_rows_are_invited_and_bad_rows_reported_with_their_line_numbers(inviters, send, mailoutbox):
    text = HEADER + (
        "Lena Park,Lena.Park@example.org,Parkville Community School,Visitor,en\n"
        "Marta Díaz,marta@example.org,Capitol Region Youth Service Bureau,visitor,es\n"
        "No Email,,,Visitor,en\n"
        "Wrong School,ws@example.org,Fair Haven School,Visitor,en\n"
        "A Trainer,t@example.org,,Trainer,en\n"
        "Lena Again,LENA.PARK@example.org,,Visitor,en\n"
        "Bad Language,bl@example.org,,Visitor,fr\n"
        "=HYPERLINK(\"http://x\"),formula@example.org,,Visitor,en\n")
    with send():
        report = run(inviters, text)
    assert (report.rows, report.created, report.error_count) == (8, 3, 5)
    lines = dict(report.errors)
    assert "not an email address" in lines[4]
    assert "no school or partner named “Fair Haven School”" in lines[5]
    assert "may not invite someone as Trainer" in lines[6]
    assert "appears again (first on line 2)" in lines[7]
    assert "en or es" in lines[8]
    invited = {i.email: i for i in Invitation.objects.all()}
    assert set(invited) == {"lena.park@example.org", "marta@example.org", "formula@example.org"}
    assert invited["marta@example.org"].partner.name == "Capitol Region Youth Service Bureau"
    assert invited["formula@example.org"].name == '=HYPERLINK("http://x")'  # kept as text; exports neutralise
    spanish = next(m for m in mailoutbox if m.to == ["marta@example.org"])
    assert "Hola" in spanish.body and services.invitation_for_token(token_in(spanish)).email == "marta@example.org"
    assert AuditEntry.objects.filter(action="joining.import").count() == 1


def test_importing_the_same_file_again_changes_nothing(inviters, send, mailoutbox):
    text = HEADER + "Lena Park,lena@example.org,,Visitor,en\nMarta Díaz,marta@example.org,,Visitor,es\n"
    with send():
        run(inviters, text)
    before, sent = list(Invitation.objects.values()), len(mailoutbox)
    with send():
        again = run(inviters, text)
    assert (again.created, again.unchanged, again.error_count) == (0, 2, 0)
    assert list(Invitation.objects.values()) == before and len(mailoutbox) == sent


def test_an_address_with_an_account_is_reported_and_gets_no_invitation(inviters):
    report = run(inviters, HEADER + "Ana Existing,ANA@example.org,,Visitor,en\n")
    assert report.has_account == 1 and report.accounts == [(2, "ana@example.org", "ana")]
    assert "1 already have an account" in report.summary
    assert not Invitation.objects.exists()


def test_a_bom_and_excel_style_header_are_fine(inviters):
    report = run(inviters, "\ufeffName,Email,School or partner,Role,Language\r\nLena,lena@example.org,,Visitor,\r\n")
    assert report.created == 1 and not report.fatal
    assert Invitation.objects.get().language == "en"


@pytest.mark.parametrize(("content", "words"), [
    ((HEADER + "Lena,lena@example.org,,Visitor,en\nJosé,j@example.org,,Visitor,es\n").encode("latin-1"),
     "not UTF-8"),
    (b"name,email\nLena,lena@example.org\n", "columns are wrong"),
    (b"", "empty"),
    ((HEADER.strip() + ",email\n").encode(), "named twice"),
])
def test_a_file_that_cannot_be_read_is_refused_whole(inviters, content, words):
    report = run(inviters, content)
    assert words in report.fatal and "Nothing was imported" in report.fatal or "nothing was imported" in report.fatal
    assert not Invitation.objects.exists()


def test_a_file_over_the_row_limit_is_refused_whole_with_the_limit(inviters, settings):
    settings.INVITATION_IMPORT_MAX_ROWS = 10
    rows = "".join(f"P{n},p{n}@example.org,,Visitor,en\n" for n in range(11))
    report = run(inviters, HEADER + rows)
    assert "more than 10 rows" in report.fatal
    assert not Invitation.objects.exists()
    settings.INVITATION_IMPORT_MAX_ROWS = 11
    assert run(inviters, HEADER + rows).created == 11


def test_a_coordinator_cannot_import_into_another_district(inviters):
    with pytest.raises(NotAllowed):
        run(inviters, HEADER + "Lena,lena@example.org,,Visitor,en\n", district="New Haven")
    assert not Invitation.objects.exists()


def test_state_staff_import_coordinators_and_statewide_roles(inviters):
    report = run(inviters, HEADER + "Cora,cora@example.org,,Coordinator,en\nTina,tina@example.org,,Trainer,en\n",
                 by="samira", district="New Haven")
    assert report.created == 2
    roles = dict(Invitation.objects.values_list("email", "role"))
    assert roles == {"cora@example.org": "Coordinator", "tina@example.org": "Trainer"}
    assert Invitation.objects.get(email="tina@example.org").district is None


def _queries(inviters, n, start):
    rows = "".join(f"P{k},p{k}@example.org,Parkville Community School,Visitor,en\n" for k in range(start, start + n))
    with CaptureQueriesContext(connection) as captured:
        report = run(inviters, HEADER + rows)
    assert report.created == n
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_rows(inviters):
    """10 rows or 50 (one batch each): the same queries; a batch of IMPORT_BATCH rows costs a fixed few,
    its invitation emails included (one insert into the outbox and one task for the whole batch)."""
    from hub.outbox.models import Message

    ten, fifty = _queries(inviters, 10, 0), _queries(inviters, 50, 100)
    assert ten == fifty <= 13
    assert Message.objects.filter(kind="invitation").count() == 60


def test_the_import_page_shows_the_report_and_a_bad_file_is_a_400(inviters, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(inviters["carla"].user)
    good = SimpleUploadedFile("staff.csv", (HEADER + "Lena,lena@example.org,,Visitor,en\n,x,,Visitor,en\n").encode())
    page = client.post(reverse("joining:import"), {"file": good, "district": inviters["carla"].home_district_id},
                       follow=True)
    assert page.redirect_chain[0][0].startswith("/jobs/")  # imported as a job: its page shows the report
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 invited" in text and "not an email address" in text
    bad = SimpleUploadedFile("staff.csv", "name;email\n".encode("utf-16"))
    assert client.post(reverse("joining:import"), {"file": bad}).status_code == 400


def test_a_file_of_100000_rows_is_refused_whole_with_the_default_limit(inviters, settings):
    assert settings.INVITATION_IMPORT_MAX_ROWS == 5000
    rows = "".join(f"P{n},p{n}@example.org,,Visitor,en\n" for n in range(100_000))
    report = run(inviters, HEADER + rows)
    assert "more than 5,000 rows" in report.fatal and "Nothing was imported" in report.fatal
    assert not Invitation.objects.exists()
