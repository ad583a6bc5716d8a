"""Hostile input on the roundtable insights (record, edit, delete).

- NAMING_TEXTS: insight texts that name a family signed up for the roundtable, in many spellings (case,
  accents composed or not, full-width letters, Cyrillic lookalikes, digits for letters, letters spaced out,
  zero-width characters inside, surname first, possessives, first name or surname alone): held back with a
  warning naming the match, nothing recorded, whether recorded or edited.
- BAD_FIELDS: wrong tags and kinds, empty, blank and oversized texts on the edit form: 400, nothing changes.
- NOT_ORGANISERS: coordinators, regional staff, visitors and signed-out people on the edit and delete pages,
  by GET and POST: 403 (or the sign-in page), nothing changes. (Every organiser may edit or delete any
  insight: that is the rule, checked in tests/roundtable/test_insights.py.)
- WRONG_ADDRESSES: another roundtable's insight, a missing insight: 404, nothing changes.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.hostile import catalogue as cat

pytestmark = pytest.mark.hostile_input

FAMILIES = ["Rosa Méndez", "Jean-Pierre Louis", "María José García-López", "Nguyễn Văn An", "Siobhán O'Connor"]
NAMING_TEXTS = [
    ("plain", "Rosa Méndez said the bus never comes"),
    ("lower-no-accents", "rosa mendez said the bus never comes"),
    ("upper", "ROSA MÉNDEZ SAID IT"),
    ("decomposed-accent", "Rosa Me\u0301ndez said it"),
    ("surname-first", "Méndez, Rosa: the bus never comes"),
    ("double-space", "Rosa   Méndez said it"),
    ("fullwidth", "Ｒｏｓａ Ｍｅｎｄｅｚ said it"),
    ("cyrillic-o", "R\u043esa M\u0435ndez said it"),
    ("digits-for-letters", "R0sa M3ndez said it"),
    ("spaced-letters", "R o s a Méndez said it"),
    ("zero-width-inside", "Ro\u200bsa Mén\u200cdez said it"),
    ("joined", "RosaMéndez said it"),
    ("possessive", "Méndez's children walk an hour"),
    ("surname-alone", "the Méndez family has no car"),
    ("first-name-alone", "Rosa told us the bus never comes"),
    ("hyphenated-first-name", "Jean-Pierre works nights"),
    ("hyphen-as-space", "jean pierre works nights"),
    ("compound-surname", "the García López kids"),
    ("second-surname-alone", "la familia López no tiene carro"),
    ("vietnamese-no-marks", "Nguyen Van An said the school is far"),
    ("vietnamese-surname", "the Nguyễn family"),
    ("apostrophe", "O'Connor said it"),
    ("curly-apostrophe", "O\u2019Connor said it"),
    ("no-apostrophe", "oconnor said it"),
    ("fada-dropped", "Siobhan said it"),
    ("in-spanish", "Dijo la señora Méndez que el autobús no llega"),
]


@pytest.fixture
def evening(w):
    """A roundtable that started ten minutes ago with five families signed up, and one recorded insight."""
    from roundtable import services

    starts = timezone.now() - timedelta(minutes=10)
    rt = services.roundtable_create(by=w.user("tomas"), starts_at=starts, ends_at=starts + timedelta(hours=2),
                                    capacity=10, title_en="An evening", address="1 Main Street")
    for n, name in enumerate(FAMILIES):
        services.signup_create(roundtable=rt, name=name, email=f"family{n}@example.org", consent=True)
    insight = services.insight_record(roundtable=rt, by=w.user("tomas"), tag="barrier", kind="quote",
                                      text="The bus never comes")
    return rt, insight


def _insights():
    from roundtable.models import Insight

    return sorted(Insight.objects.values_list("pk", "tag", "kind", "text"))


@pytest.mark.parametrize(("text",), [pytest.param(t, id=i) for i, t in NAMING_TEXTS])
class TestNamingTexts:
    def test_recording_it_is_held_back_with_a_warning(self, w, unchanged, evening, text):
        rt, _ = evening
        with unchanged(fresh=True):
            response = w.client("tomas").post(reverse("roundtable:insight_add", args=[rt.pk]),
                                              {"tag": "barrier", "kind": "theme", "text": text})
        assert response.status_code == 400
        assert "I have checked this does not identify a family" in response.content.decode()
        assert response.context["names_warning"].mentions

    def test_editing_to_it_is_held_back_with_a_warning(self, w, unchanged, evening, text):
        rt, insight = evening
        with unchanged(fresh=True):
            response = w.client("samira").post(reverse("roundtable:insight_edit", args=[rt.pk, insight.pk]),
                                               {"tag": "barrier", "kind": "theme", "text": text})
        assert response.status_code == 400 and response.context["names_warning"].mentions


BAD_FIELDS = ([("tag", v, i) for i, v in cat.WRONG_CHOICES] + [("kind", v, i) for i, v in cat.WRONG_CHOICES]
              + [("text", v, i) for i, v in cat.oversized(500) + [("empty", ""), ("blank", "   ")]]
              + [("text", "q" * 281, "quote-over-280")])


@pytest.mark.parametrize(("field", "value"), [pytest.param(f, v, id=f"{f}|{i}") for f, v, i in BAD_FIELDS])
def test_a_bad_field_on_the_edit_form_changes_nothing(w, unchanged, evening, field, value):
    rt, insight = evening
    data = {"tag": "barrier", "kind": "quote", "text": "Fine", field: value}
    with unchanged(fresh=True):
        response = w.client("tomas").post(reverse("roundtable:insight_edit", args=[rt.pk, insight.pk]), data)
    assert response.status_code == 400 and b"<script>alert(1)</script>" not in response.content


NOT_ORGANISERS = ["carla", "dwayne", "rita", "marcus", "ana", None]


@pytest.mark.parametrize("who", NOT_ORGANISERS)
@pytest.mark.parametrize("page", ["insight_edit", "insight_delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_people_who_do_not_organise_change_nothing(w, unchanged, evening, who, page, method):
    rt, insight = evening
    before = _insights()
    with unchanged(fresh=True):
        response = getattr(w.client(who), method)(reverse(f"roundtable:{page}", args=[rt.pk, insight.pk]),
                                                  {"tag": "idea", "kind": "theme", "text": "Changed"})
    assert response.status_code == (302 if who is None else 403)
    assert _insights() == before


@pytest.mark.parametrize("address", ["other-roundtable", "missing-insight", "missing-roundtable"])
@pytest.mark.parametrize("page", ["insight_edit", "insight_delete"])
def test_a_wrong_address_is_a_404_and_changes_nothing(w, unchanged, evening, address, page):
    rt, insight = evening
    args = {"other-roundtable": [w.roundtable.pk, insight.pk], "missing-insight": [rt.pk, 987654],
            "missing-roundtable": [987654, insight.pk]}[address]
    with unchanged(fresh=True):
        response = w.client("tomas").post(reverse(f"roundtable:{page}", args=args),
                                          {"tag": "idea", "kind": "theme", "text": "Changed"})
    assert response.status_code == 404
