"""The organisers' CSV of sign-ups is made like every export (hub.exports): Excel on Windows shows Spanish
names as written, it is streamed, and it is audited (who, which roundtable, which families' districts, how
many rows), so a district's coordinators see that their families' details left the Hub."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from hub.audit.models import AuditEntry
from hub.roles import COORDINATOR
from roundtable import services

pytestmark = pytest.mark.django_db


def test_the_signups_csv_starts_with_a_byte_order_mark_so_excel_shows_spanish_names(
        client, make_roundtable, organiser, family):
    rt = make_roundtable()
    services.signup_create(roundtable=rt, **family(1, name="Rosa Méndez Peña"))
    client.force_login(organiser.user)
    response = client.get(reverse("roundtable:export_csv", args=[rt.pk]))
    assert isinstance(response, StreamingHttpResponse)
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8's byte-order mark: how Excel knows the encoding
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][1] == "Rosa Méndez Peña"
    assert response["Content-Disposition"].startswith(f'attachment; filename="roundtable-{rt.pk}-signups-')
    assert "no-store" in response["Cache-Control"]


def test_the_signups_export_is_audited_with_the_roundtable_the_families_districts_and_the_row_count(
        client, make_roundtable, organiser, family, orgs):
    rt = make_roundtable(district=orgs["Hartford"], capacity=5)
    services.signup_create(roundtable=rt, **family(1, district=orgs["New Haven"]))
    services.signup_create(roundtable=rt, **family(2, district=orgs["Bridgeport"]))
    services.signup_create(roundtable=rt, **family(3))
    client.force_login(organiser.user)
    b"".join(client.get(reverse("roundtable:export_csv", args=[rt.pk])).streaming_content)
    entry = AuditEntry.objects.get(action="roundtable.export")
    assert (entry.actor, entry.object_type, entry.object_id, entry.rows) == (organiser.user, "roundtable", str(rt.pk), 3)
    assert entry.district == orgs["Hartford"]
    assert set(entry.districts.values_list("name", flat=True)) == {"New Haven", "Bridgeport"}


def test_a_coordinator_finds_an_export_holding_their_districts_families_in_their_trail(
        client, make_roundtable, organiser, family, orgs, make_person):
    rt = make_roundtable()
    services.signup_create(roundtable=rt, **family(1, district=orgs["New Haven"]))
    client.force_login(organiser.user)
    b"".join(client.get(reverse("roundtable:export_csv", args=[rt.pk])).streaming_content)
    entry = AuditEntry.objects.get(action="roundtable.export")

    def trail(person):
        client.force_login(person.user)
        return list(client.get(reverse("coordinators:audit")).context["page"])

    assert entry in trail(make_person("dwayne", roles=[COORDINATOR], home_district=orgs["New Haven"]))
    assert entry not in trail(make_person("carla", roles=[COORDINATOR], home_district=orgs["Hartford"]))
    assert entry in trail(organiser)  # the trainer who exported sees their own export
