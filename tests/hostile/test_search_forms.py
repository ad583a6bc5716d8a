"""Every search finds a name whatever Unicode form and case it was stored and typed in (hub.text).

"José" reaches us as NFC (é is U+00E9) from most keyboards and as NFD (e + U+0301) from some phones and
Mac keyboards; SQLite's own case folding is ASCII-only. The class of inputs: names with accents, a
tilde, a diaeresis, a stroke and stacked marks, stored in NFC or NFD (NFD as an admin edit or an older
row would have it: written straight to the table), typed in NFC or NFD, in lower, upper or their own case;
for each search of the Hub (roster, case list, certificates, recordings). Run on SQLite and PostgreSQL.
"""

import unicodedata
from urllib.parse import quote

import pytest
from django.urls import reverse

pytestmark = pytest.mark.hostile_input

NAMES = ["José", "Zoë", "Ñandú", "Łucja", "Thảo", "Ångström"]
CASES = {"own": str, "lower": str.lower, "upper": str.upper}


def form(text: str, name: str) -> str:
    return unicodedata.normalize(name, text)


def _cases():
    for name in NAMES:
        for stored in ("NFC", "NFD"):
            for typed in ("NFC", "NFD"):
                for case in CASES:
                    yield pytest.param(name, stored, typed, case, id=f"{name}|stored-{stored}|typed-{typed}|{case}")


def typed_query(name: str, typed: str, case: str) -> str:
    return quote(form(CASES[case](form(name, "NFC")), typed))


@pytest.mark.parametrize(("name", "stored", "typed", "case"), list(_cases()))
def test_the_roster_finds_a_visitors_name_in_any_form_and_case(w, name, stored, typed, case):
    from django.contrib.auth import get_user_model

    marcus = w.people["marcus"]
    get_user_model().objects.filter(pk=marcus.user_id).update(last_name=form(name, stored))
    page = w.client("carla").get(f"{reverse('coordinators:roster')}?q={typed_query(name, typed, case)}")
    assert page.status_code == 200
    assert reverse("coordinators:roster_person", args=[marcus.pk]) in page.content.decode()


@pytest.mark.parametrize(("name", "stored", "typed", "case"), list(_cases()))
def test_the_case_list_finds_a_students_name_in_any_form_and_case(w, name, stored, typed, case):
    from coordinators.models import StudentCase

    StudentCase.objects.filter(pk=w.case.pk).update(first_name=form(name, stored))
    page = w.client("carla").get(f"{reverse('coordinators:case_list')}?q={typed_query(name, typed, case)}")
    assert page.status_code == 200
    assert reverse("coordinators:case_detail", args=[w.case.pk]) in page.content.decode()


@pytest.mark.parametrize(("name", "stored", "typed", "case"), list(_cases()))
def test_the_certificate_list_finds_a_holders_name_in_any_form_and_case(w, name, stored, typed, case):
    from django.contrib.auth import get_user_model

    marcus = w.people["marcus"]
    get_user_model().objects.filter(pk=marcus.user_id).update(first_name=form(name, stored))
    page = w.client("tomas").get(f"{reverse('courses:certificate_list')}?q={typed_query(name, typed, case)}")
    assert page.status_code == 200
    assert reverse("courses:certificate_revoke", args=[w.certificate.code]) in page.content.decode()


@pytest.mark.parametrize(("name", "stored", "typed", "case"), list(_cases()))
def test_the_recordings_archive_finds_a_title_in_any_form_and_case(w, name, stored, typed, case, search_index):
    """Titles are stored in NFC (RecordingPage.clean) whatever form the editor typed; the search is
    Wagtail's, given the query in NFC."""
    from sessions.models import RecordingPage

    recording = RecordingPage.objects.child_of(w.recordings).get()
    recording.title = f"Listening first with {form(name, stored)}"
    recording.save_revision().publish()
    assert RecordingPage.objects.get(pk=recording.pk).title == f"Listening first with {form(name, 'NFC')}"
    page = w.client("ana").get(f"{w.recordings.url}?q={typed_query(name, typed, case)}")
    assert page.status_code == 200
    assert recording.url in page.content.decode()


@pytest.mark.parametrize("search", ["roster", "cases", "certificates"])
def test_a_different_name_is_not_found(w, search):
    """The folding finds the same name, not any name: "Josefina" is not "José", "Jose" (no accent) is not."""
    from django.contrib.auth import get_user_model

    from coordinators.models import StudentCase

    marcus = w.people["marcus"]
    get_user_model().objects.filter(pk=marcus.user_id).update(first_name="José", last_name="Ñandú")
    StudentCase.objects.filter(pk=w.case.pk).update(first_name="José")
    url, user, marker = {
        "roster": ("coordinators:roster", "carla", reverse("coordinators:roster_person", args=[marcus.pk])),
        "cases": ("coordinators:case_list", "carla", reverse("coordinators:case_detail", args=[w.case.pk])),
        "certificates": ("courses:certificate_list", "tomas",
                         reverse("courses:certificate_revoke", args=[w.certificate.code])),
    }[search]
    for query in ("Josefina", "Jose", "Nandu"):
        page = w.client(user).get(reverse(url), {"q": query}).content.decode()
        assert marker not in page, query
