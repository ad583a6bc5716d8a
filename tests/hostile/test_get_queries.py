"""Hostile query parameters on the reading views and CSV exports, the language switch, a junk POST to the
Wagtail course pages, and the third-party sign-in forms (Wagtail admin, Django admin, page privacy):
never a 500, nothing changed (except the audit row a refused read of another district writes)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.hostile import catalogue as cat

pytestmark = pytest.mark.hostile_input

QUERY_VALUES = [("text", "abc"), ("negative", "-1"), ("huge", "9" * 30), ("sql", "1 OR 1=1"),
                ("script", "<script>alert(1)</script>"), ("nul", "1\x00"), ("list", ["1", "2"])]

GET_VIEWS = [
    ("carla", "coordinators:roster", ["district", "status", "sort", "page", "q", "school"]),
    ("carla", "coordinators:roster_export", ["district", "status", "sort"]),
    ("carla", "coordinators:case_list", ["district", "status", "page", "school", "q"]),
    ("carla", "coordinators:case_export", ["district", "status"]),
    ("carla", "coordinators:dashboard", ["district"]),
    ("carla", "coordinators:audit", ["page"]),
    ("ana", "training_sessions:upcoming", ["from", "kind"]),
    ("ana", "training_sessions:month", ["kind"]),
    ("tomas", "courses:certificate_list", ["q"]),
    ("ana", "discussion:rooms", ["before"]),
    ("samira", "privacy:requests", ["page"]),
]


def _get_cases():
    for user, name, params in GET_VIEWS:
        for param in params:
            for value_id, value in QUERY_VALUES:
                yield pytest.param(user, name, param, value, id=f"{name}|{param}|{value_id}")


@pytest.mark.parametrize(("user", "name", "param", "value"), list(_get_cases()))
def test_a_hostile_query_parameter_is_never_a_server_error(w, unchanged, user, name, param, value):
    from hub.audit.models import AuditEntry

    client = w.client(user)
    before = AuditEntry.objects.count()
    with unchanged(ignore={"coordinators_auditentry"}):
        response = client.get(reverse(name), {param: value})
    assert response.status_code in (200, 400, 404), response.status_code
    page = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"<script>alert(1)</script>" not in page
    # Exports and case reads are audited; a refused read (404) is audited too. Never more than one row.
    assert AuditEntry.objects.count() - before <= 1


@pytest.mark.parametrize("district", ["__nh__", "987654"])
def test_another_districts_cases_are_a_404_and_audited(w, unchanged, district):
    value = str(w.new_haven.pk) if district == "__nh__" else district
    with unchanged(expect={"coordinators_auditentry": 1}):
        response = w.client("carla").get(reverse("coordinators:case_export"), {"district": value})
    assert response.status_code == 404


def test_another_districts_case_page_is_a_404_and_audited(w, unchanged):
    from hub.audit.models import AuditEntry

    with unchanged(expect={"coordinators_auditentry": 1}):
        response = w.client("carla").get(reverse("coordinators:case_detail", args=[w.nh_case.pk]))
    assert response.status_code == 404
    assert AuditEntry.objects.order_by("-pk").first().action == "case.denied"


def test_another_districts_roster_person_is_a_404(w, unchanged):
    with unchanged(ignore={"coordinators_auditentry"}):
        response = w.client("carla").get(reverse("coordinators:roster_person", args=[w.people["jordan"].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(("year", "month"), [(1999, 1), (2101, 1), (2026, 13), (2026, 0)])
def test_a_month_out_of_range_is_a_404(w, unchanged, year, month):
    with unchanged():
        assert w.client("ana").get(reverse("training_sessions:month_of", args=[year, month])).status_code == 404


@pytest.mark.parametrize("code", ["<script>", "' OR 1=1 --", "x" * 500, "NOPE"])
def test_an_unknown_certificate_code_is_a_404(w, unchanged, code):
    with unchanged():
        assert Client().get(reverse("courses:certificate_verify", args=[code])).status_code == 404


@pytest.mark.parametrize("next_url", ["javascript:alert(1)", "https://evil.example/", "//evil.example/x",
                                      "/\\evil.example"])
def test_set_language_never_follows_an_off_site_next(w, unchanged, next_url):
    with unchanged():
        response = Client().post(reverse("set_language"), {"language": "es", "next": next_url})
    assert response.status_code in (302, 204)
    if response.status_code == 302:
        assert "evil" not in response["Location"] and not response["Location"].startswith("javascript")


@pytest.mark.parametrize("language", ["xx", "<script>", "' OR 1=1 --", "e" * 1000])
def test_set_language_with_an_unknown_language_changes_nothing(w, unchanged, language):
    with unchanged():
        response = Client().post(reverse("set_language"), {"language": language, "next": "/roundtables/"})
    assert response.status_code == 302
    assert response.cookies.get("django_language") is None


@pytest.mark.parametrize("who", [None, "ana"])
def test_a_junk_post_to_course_pages_changes_nothing(w, unchanged, who):
    client = w.client(who)
    with unchanged():
        for url in (w.course.url, w.modules[1].url):
            response = client.post(url, {"q0": "<script>", "text": "x" * 10000, "id": "1 OR 1=1"})
            assert response.status_code < 500


SIGN_IN_FORMS = ["/admin/login/", "/django-admin/login/", "/_util/login/"]
CREDENTIALS = [("sql", "' OR 1=1 --", "' OR 1=1 --"), ("script", "<script>alert(1)</script>", "x"),
               ("long-username", "u" * 5000, "x"), ("1mb-password", "throwaway", "p" * cat.MB)]


@pytest.mark.parametrize("url", SIGN_IN_FORMS)
@pytest.mark.parametrize(("username", "password"), [pytest.param(u, p, id=i) for i, u, p in CREDENTIALS])
def test_third_party_sign_in_forms_refuse_hostile_credentials(w, unchanged, url, username, password):
    from django.conf import settings

    axes = {"axes_accessattempt", "axes_accessfailurelog"} if "axes" in settings.INSTALLED_APPS else set()
    with unchanged(ignore=axes):
        response = Client().post(url, {"username": username, "password": password})
    assert response.status_code in (200, 400, 403, 429)
    assert b"<script>alert(1)</script>" not in response.content
    assert "_auth_user_id" not in Client().session.keys()
