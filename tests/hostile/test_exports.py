"""Hostile cells and hostile parameters on every CSV export (roster, cases, roundtable sign-ups).

- FORMULA_CELLS: what a spreadsheet would run (= + - @, tab, CR, LF; the same behind spaces and invisible
  characters; the full-width and small-form lookalikes and the minus sign), stored by the front door (a
  family's sign-up, a case, a visitor's name): every export shows it as text, with a leading quote.
- HIDDEN_DIRECTION: names carrying bidirectional overrides, isolates, zero-width spaces and byte-order
  marks: exported without them (the row reads as stored, never backwards), never a server error.
- OTHER_DISTRICT_PARAMETERS: an export (or its list) asked for another district's district, school or
  partner: 404, nothing exported, and the attempt is in the audit trail of the district asked for AND in
  the trail of the person who asked.
"""

import csv
import io

import pytest
from django.urls import reverse

from tests.hostile import catalogue as cat

pytestmark = pytest.mark.hostile_input

FORMULA_CELLS = cat.FORMULAS + [
    ("equals", "=1+1"), ("plus", "+1"), ("tab", "\t=1+1"), ("carriage-return", "\r=1+1"), ("line-feed", "\n=1+1"),
    ("space-equals", " =1+1"), ("zero-width-equals", "\u200b=1+1"), ("bom-equals", "\ufeff=1+1"),
    ("rtl-equals", "\u202e=1+1"), ("fullwidth-equals", "\uff1d1+1"), ("small-equals", "\ufe661+1"),
    ("fullwidth-plus", "\uff0b1"), ("fullwidth-minus", "\uff0d1"), ("fullwidth-at", "\uff20SUM(1)"),
    ("minus-sign", "\u22121+1"),
]
HIDDEN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\ufeff"
HIDDEN_DIRECTION = [
    ("rtl-override", "Ana\u202egnp.exe"), ("lre-pdf", "\u202aRosa\u202c Méndez"), ("rli-pdi", "Rosa \u2067Méndez\u2069"),
    ("zero-width", "Ro\u200bsa Mén\u200bdez"), ("bom-inside", "Rosa\ufeff Méndez"), ("lro", "\u202dRosa Méndez"),
    ("fsi", "\u2068Rosa Méndez\u2069"),
]


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _cells(rows) -> set[str]:
    return {cell for row in rows for cell in row}


def _safe(value: str) -> bool:
    return value.startswith("'")


def _signup(w, **fields):
    from roundtable import services

    return services.signup_create(roundtable=w.roundtable, email="hostile@example.org", consent=True, **fields)


@pytest.mark.parametrize(("value",), [pytest.param(v, id=i) for i, v in FORMULA_CELLS])
class TestFormulaCells:
    def test_a_familys_formula_is_text_in_the_signups_csv(self, w, value):
        _signup(w, name="Family Formula", accessibility_needs=value)
        rows = _rows(w.client("tomas").get(reverse("roundtable:export_csv", args=[w.roundtable.pk])))
        needs = next(r for r in rows if r[1] == "Family Formula")[7]
        assert _safe(needs) and value not in _cells(rows)

    def test_a_visitors_formula_name_is_text_in_the_roster_csv(self, w, value):
        from hub.models import Person

        user = w.user("marcus")
        user.last_name = value
        user.save(update_fields=["last_name"])  # as an account made elsewhere (an admin, an import) could be
        rows = _rows(w.client("carla").get(reverse("coordinators:roster_export")))
        marcus = next(r for r in rows if r[1] == "Marcus")
        assert _safe(marcus[0]) and value not in _cells(rows)
        assert Person.objects.get(user=user).user.last_name == value  # stored as typed, shown as text

    def test_a_students_formula_name_is_text_in_the_case_csv(self, w, value):
        from coordinators import services

        data = services.CaseData(student_ref="S-F1", first_name=value[:60], last_initial="R", grade="3",
                                 school=w.case.school, home_language=value[:40], days_enrolled=60, days_absent=9,
                                 referral_reason=value)
        services.case_create(district=w.hartford, data=data, by=w.user("carla"))
        rows = _rows(w.client("carla").get(reverse("coordinators:case_export")))
        row = next(r for r in rows if r[0] == "S-F1")
        assert all(_safe(cell) for cell in (row[1], row[5], row[8])) and value not in _cells(rows)


@pytest.mark.parametrize(("value",), [pytest.param(v, id=i) for i, v in HIDDEN_DIRECTION])
class TestHiddenDirection:
    def test_a_family_name_with_hidden_direction_is_exported_plain(self, w, value):
        _signup(w, name=value)
        rows = _rows(w.client("tomas").get(reverse("roundtable:export_csv", args=[w.roundtable.pk])))
        plain = "".join(ch for ch in value if ch not in HIDDEN)
        assert plain in {r[1] for r in rows}
        assert not any(ch in cell for cell in _cells(rows) for ch in HIDDEN)

    def test_a_visitor_name_with_hidden_direction_is_exported_plain(self, w, value):
        user = w.user("luis")
        user.first_name = value
        user.save(update_fields=["first_name"])
        rows = _rows(w.client("samira").get(reverse("coordinators:roster_export")))
        assert "".join(ch for ch in value if ch not in HIDDEN) in {r[1] for r in rows}
        assert not any(ch in cell for cell in _cells(rows) for ch in HIDDEN)


def _other_district_values(w):
    from hub.models import Partner, School

    nh_only = Partner.objects.get(name="Elm City Boys & Girls Club")  # New Haven and Meriden, not Hartford
    return {
        "district": (str(w.new_haven.pk), {w.new_haven.pk}),
        "school": (str(School.objects.filter(district=w.new_haven).order_by("pk").first().pk), {w.new_haven.pk}),
        "partner": (str(nh_only.pk), set(nh_only.districts.values_list("pk", flat=True))),
    }


OTHER_DISTRICT_PARAMETERS = [
    (view, param) for view, params in [
        ("coordinators:case_export", ["district", "school"]),
        ("coordinators:roster_export", ["district", "school", "partner"]),
        ("coordinators:case_list", ["district", "school"]),
        ("coordinators:roster", ["district", "school", "partner"]),
    ] for param in params
]


@pytest.mark.parametrize(("view", "param"), [pytest.param(v, p, id=f"{v}|{p}") for v, p in OTHER_DISTRICT_PARAMETERS])
class TestOtherDistrictParameters:
    def test_refused_and_in_both_trails(self, w, unchanged, view, param):
        from hub.audit.models import AuditEntry
        from hub.audit.selectors import entries_concerning
        from hub.models import District

        value, owners = _other_district_values(w)[param]
        concerns = len(owners) if len(owners) > 1 else 0
        with unchanged(expect={"coordinators_auditentry": 1, "audit_auditentrydistrict": concerns}):
            response = w.client("carla").get(reverse(view), {param: value})
        assert response.status_code == 404
        entry = AuditEntry.objects.order_by("-pk").first()
        assert entry.actor == w.user("carla") and entry.action.endswith(".denied") and entry.object_id == value
        filed = {entry.district_id} - {None} | set(entry.districts.values_list("pk", flat=True))
        assert filed == owners
        theirs = entries_concerning(districts=District.objects.filter(pk=w.new_haven.pk), actor=w.user("dwayne"))
        mine = entries_concerning(districts=District.objects.filter(pk=w.hartford.pk), actor=w.user("carla"))
        assert theirs.filter(pk=entry.pk).exists() and mine.filter(pk=entry.pk).exists()
