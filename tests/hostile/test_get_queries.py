"""Hostile query parameters on every view that reads any (tests/hostile/get_views.py: which view reads
which parameter is recorded, not assumed), the language switch, a junk POST to the Wagtail course pages,
and the third-party sign-in forms (Wagtail admin, Django admin, page privacy): never a 500, nothing
changed (except the audit row an export or a refused read of another district writes)."""

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from tests.hostile import catalogue as cat
from tests.hostile.endpoints import ENDPOINTS
from tests.hostile.get_views import GET_VIEWS, HOSTILE_VALUES, outcome, query_string, view_name
from tests.hostile.test_coverage import our_views

pytestmark = pytest.mark.hostile_input

# -- which parameters each view reads ------------------------------------------------------------------

_reads: set[str] = set()
WHOLE_QUERY = "*"


class RecordingQueryDict(QueryDict):
    """request.GET that notes each parameter the view asks for (`*`: it read them all)."""

    def __getitem__(self, key):
        _reads.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        _reads.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        _reads.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        _reads.add(key)
        return super().__contains__(key)



def _reads_all(name):
    def read_all(self, *args, **kwargs):
        _reads.add(WHOLE_QUERY)
        return getattr(QueryDict, name)(self, *args, **kwargs)
    return read_all


for _name in ("items", "lists", "values", "keys", "dict", "urlencode", "__iter__"):
    setattr(RecordingQueryDict, _name, _reads_all(_name))


@pytest.fixture
def recorded_reads(monkeypatch):
    """The set of query parameters read by the views requested during the test."""
    from django.core.handlers.wsgi import WSGIRequest, get_bytes_from_wsgi
    from django.utils.functional import cached_property

    def get(self):
        return RecordingQueryDict(get_bytes_from_wsgi(self.environ, "QUERY_STRING", ""), encoding=self._encoding)

    prop = cached_property(get)
    prop.__set_name__(WSGIRequest, "GET")
    monkeypatch.setattr(WSGIRequest, "GET", prop)
    _reads.clear()
    yield _reads
    _reads.clear()


def _probes():
    """(key, user, url, declared) for every GET_VIEWS entry and every endpoint the GET table leaves out."""
    listed = {view_name(key) for key in GET_VIEWS}
    for key, view in GET_VIEWS.items():
        yield key, view.user, view.url, set(view.params) | ({WHOLE_QUERY} if view.reads_whole_query else set())
    for name, endpoint in ENDPOINTS.items():
        if name not in listed:
            yield name, endpoint.user, endpoint.url, set()


PROBES = {key: (user, url, declared) for key, user, url, declared in _probes()}


def test_every_view_of_our_apps_is_got_by_the_get_table_or_an_endpoint():
    probed = {view_name(key) for key in GET_VIEWS} | set(ENDPOINTS)
    missing = sorted(f"{name} (/{route})" for name, route in our_views().items() if name not in probed)
    assert not missing, "views no GET probe requests: " + ", ".join(missing)


def test_the_get_table_names_only_views_that_exist():
    stale = sorted({view_name(key) for key in GET_VIEWS} - set(our_views()))
    assert not stale, f"GET entries for URL names that no longer exist: {stale}"


@pytest.mark.parametrize("key", sorted(PROBES))
def test_a_view_reads_only_the_query_parameters_the_get_table_declares(w, recorded_reads, key):
    user, url, declared = PROBES[key]
    response = w.client(user).get(url(w))
    assert response.status_code < 500
    undeclared = sorted(recorded_reads - declared)
    assert not undeclared, f"{key} reads {undeclared}: add them to tests/hostile/get_views.GET_VIEWS"


def test_an_undeclared_parameter_would_be_named(w, recorded_reads, monkeypatch):
    """The probe can fail: the roster without `sort` in its table entry is named for reading it."""
    view = GET_VIEWS["coordinators:roster"]
    params = {k: v for k, v in view.params.items() if k != "sort"}
    monkeypatch.setitem(PROBES, "coordinators:roster", (view.user, view.url, set(params)))
    with pytest.raises(AssertionError, match=r"reads \['sort'\]"):
        test_a_view_reads_only_the_query_parameters_the_get_table_declares(w, recorded_reads, "coordinators:roster")


# -- every parameter with every hostile value ----------------------------------------------------------

def _hostile_cases():
    for key, view in GET_VIEWS.items():
        for param, spec in view.params.items():
            for value_id, _raw in HOSTILE_VALUES:
                yield pytest.param(key, param, value_id, id=f"{key}|{param}|{value_id}|{outcome(spec.kind, value_id)}")


HOSTILE = dict(HOSTILE_VALUES)


@pytest.mark.parametrize(("key", "param", "value_id"), list(_hostile_cases()))
def test_a_hostile_query_value_is_refused_with_its_reason_or_used_never_a_server_error(
        w, unchanged, key, param, value_id):
    """Never a 500. A value the page cannot take is a 400 naming the parameter (a 404 for a district out
    of scope, audited); a value it can take is used; a redirect target leaving the site is ignored."""
    from hub.audit.models import AuditEntry

    view, spec = GET_VIEWS[key], GET_VIEWS[key].params[param]
    raw = HOSTILE[value_id]
    raw = raw(spec.valid(w)) if callable(raw) else raw
    before = AuditEntry.objects.count()
    with unchanged(ignore={"coordinators_auditentry", *view.writes}):
        response = w.client(view.user).get(f"{view.url(w)}?{query_string(param, raw)}")
    page = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
    expected = outcome(spec.kind, value_id)
    if expected == "refused" and spec.kind == "scope-id":
        assert response.status_code == 404, response.status_code
    elif expected == "refused":
        assert response.status_code == 400, response.status_code
        assert "data-bad-query" in page and f"({param})" in page, page[:2000]
    else:
        assert response.status_code in view.ok, response.status_code
    assert "<script>alert(1)</script>" not in page
    assert AuditEntry.objects.count() - before <= 1  # exports and refused reads are audited, once


def test_a_refusal_is_in_the_readers_language(w):
    client = w.client("carla")
    client.cookies["django_language"] = "es"
    response = client.get(reverse("coordinators:roster") + "?page=abc")
    assert response.status_code == 400
    page = response.content.decode()
    assert "No pudimos leer esa dirección" in page and "Introduzca un número entero." in page


def test_a_refusal_says_what_was_wrong_with_each_parameter(w):
    response = w.client("carla").get(reverse("coordinators:roster") + "?q=a%00b&status=nope&page=2&sort=name")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Name (q)" in page and "characters that are not text" in page
    assert "Training status (status)" in page and "nope is not one of the available choices" in page
    assert "(page)" not in page and "(sort)" not in page
    assert f'href="{reverse("coordinators:roster")}"' in page  # the way back: the page without them


# -- parts of the address parsed into dates and numbers -------------------------------------------------

OCCURRENCE_KEYS = [("far-past", "00010101T000000Z"), ("year-zero", "00000101T000000Z"),
                   ("far-future", "99991231T235959Z"), ("before-the-calendar", "19991231T235959Z"),
                   ("after-the-calendar", "21010101T000000Z"), ("impossible", "20260230T180000Z"),
                   ("unicode-digits", "٢٠٢٦٠١٠١T١٨٠٠٠٠Z"), ("nul", "20260101T18%000000Z"),
                   ("invalid-utf8", "20260101T180000Z%ff"), ("10k", "2" * 10_000), ("empty-time", "20260101TZ")]
HUGE = "9" * 30
BIG_IDS = [
    ("series", f"/sessions/series/{HUGE}/", "ana"), ("series-feed", f"/sessions/series/{HUGE}/calendar.ics", "ana"),
    ("series-edit", f"/sessions/manage/{HUGE}/edit/", "tomas"), ("occurrence", f"/sessions/{HUGE}/20260101T000000Z/", "ana"),
    ("case", f"/coordinators/cases/{HUGE}/", "carla"), ("roster-person", f"/coordinators/roster/{HUGE}/", "carla"),
    ("board", f"/coordinators/board/{HUGE}/", "carla"), ("visit-edit", f"/coordinators/visits/{HUGE}/edit/", "marcus"),
    ("signup", f"/roundtables/{HUGE}/", None), ("organise", f"/roundtables/organise/{HUGE}/", "tomas"),
    ("signups-csv", f"/roundtables/organise/{HUGE}/signups.csv", "tomas"),
    ("message-edit", f"/discussion/district-hartford/{HUGE}/edit/", "ana"),
    ("month-huge-year", f"/sessions/month/{HUGE}/1/", "ana"), ("month-huge-month", f"/sessions/month/2026/{HUGE}/", "ana"),
    ("month-year-zero", "/sessions/month/0/1/", "ana"), ("month-9999-12", "/sessions/month/9999/12/", "ana"),
]


@pytest.mark.parametrize("name", ["occurrence", "occurrence_ics"])
@pytest.mark.parametrize("key", [pytest.param(k, id=i) for i, k in OCCURRENCE_KEYS])
def test_an_occurrence_key_that_is_no_time_in_the_calendar_is_a_404(w, unchanged, name, key):
    url = reverse(f"training_sessions:{name}", args=[w.series.pk, "KEY"]).replace("KEY", key)
    with unchanged():
        assert w.client("ana").get(url).status_code == 404


@pytest.mark.parametrize(("url", "user"), [pytest.param(u, who, id=i) for i, u, who in BIG_IDS])
def test_an_id_or_year_no_database_holds_is_a_404(w, unchanged, url, user):
    with unchanged(ignore={"coordinators_auditentry"}):
        assert w.client(user).get(url).status_code == 404


def test_the_last_month_of_the_calendar_has_no_next_month_link(w):
    page = w.client("ana").get(reverse("training_sessions:month_of", args=[2100, 12])).content.decode()
    assert "Next month" not in page and "Previous month" in page
    later = w.client("ana").get(reverse("training_sessions:upcoming"), {"from": "2100-12-31"}).content.decode()
    assert "Later sessions" not in later


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
