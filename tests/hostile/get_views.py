"""The GET table: for every view of our apps, an address to GET it at, and the query parameters it reads.

`test_get_queries` GETs each entry with a query dictionary that records which parameters the view reads
(`recorded_reads`), and fails when a view reads a parameter this table does not declare: a new
`request.GET.get("x")` anywhere (a view, a page's `get_context`, a selector's `from_query`) must be added
here, and is then walked with every value of `HOSTILE_VALUES`. Views found by walking the URL resolver
(`test_coverage.our_views`) that have no entry here are GET at their `ENDPOINTS` address; a view with
neither fails the coverage test.

Each parameter has a kind, which says what the view does with a value it cannot take:
- "id", "page", "date", "choice", "search", "month" (YYYY-MM): read through a `hub.queries` form; a value it cannot take is
  a 400 page naming the parameter (`refused`), any other is used (`accepted`, the view's `ok` status);
- "scope-id": a district asked for on a coordinator's form page (`_home_district`): anything but a
  district in the person's scope is a 404, audited (as another district's id is);
- "next": a redirect target, which Django checks itself and ignores when it leaves the site (any status
  of the view's `ok`, never a 500).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

from django.urls import reverse

from tests.hostile.endpoints import occ


@dataclass
class Param:
    kind: str
    valid: Callable = lambda w: ""  # a value the view takes (a repeated parameter ends with it)


@dataclass
class GetView:
    user: str | None
    url: Callable
    params: dict = field(default_factory=dict)  # name -> Param
    ok: tuple = (200,)
    name: str = ""  # the URL name, when the table key is not one (several Wagtail pages)
    reads_whole_query: str = ""  # why the view reads the whole query string (iterates or re-encodes it)
    writes: tuple = ()  # tables an ordinary GET of the view writes to (read markers)


def _today(w):
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _district(w):
    return str(w.hartford.pk)


ROSTER = {
    "district": Param("id", _district), "school": Param("id", lambda w: str(w.case.school_id)),
    "partner": Param("id", lambda w: str(w.people["dana"].partner_id)), "status": Param("choice", lambda w: "certified"),
    "q": Param("search", lambda w: "Tester"), "sort": Param("choice", lambda w: "-name"),
    "page": Param("page", lambda w: "1"),
}
CASES = {
    "district": Param("id", _district), "school": Param("id", lambda w: str(w.case.school_id)),
    "status": Param("choice", lambda w: "assigned"), "q": Param("search", lambda w: "Jaylen"),
    "page": Param("page", lambda w: "1"),
}
NEXT = {"next": Param("next", lambda w: "/training/")}
# The impact page: a scope string (a district out of scope is a 404, audited: tests/coordinators/test_impact),
# the period's months and the breakdown.
IMPACT = {
    "scope": Param("choice", lambda w: f"district:{w.hartford.pk}"), "from": Param("month", lambda w: "2025-01"),
    "to": Param("month", lambda w: "2026-06"), "breakdown": Param("choice", lambda w: "band"),
}

# The district need index (state and regional staff): the scope (state or region:<id>; another region is a
# 404, audited: tests/coordinators/test_need_index), the school year and a weight per input (a plain number
# from 0 to 100: a value it cannot take is named on the page, 400).
NEED = {
    "scope": Param("choice", lambda w: "state"), "year": Param("id", lambda w: "2025"),
    **{f"w_{key}": Param("weight", lambda w: "12.5") for key in (
        "attendance_rate", "frl_share", "english_learner_share", "remote_share", "enrollment")},
}
# The fidelity page reads the impact page's scope and months (no breakdown).
FIDELITY = {k: IMPACT[k] for k in ("scope", "from", "to")}


def _recording(w):
    from sessions.models import RecordingPage

    return RecordingPage.objects.child_of(w.recordings).first().url


GET_VIEWS: dict[str, GetView] = {
    # -- views that read query parameters -----------------------------------------------------------------
    "coordinators:roster": GetView("carla", lambda w: reverse("coordinators:roster"), ROSTER),
    "coordinators:roster_export": GetView("carla", lambda w: reverse("coordinators:roster_export"), ROSTER),
    "coordinators:case_list": GetView("carla", lambda w: reverse("coordinators:case_list"), CASES),
    "coordinators:case_export": GetView(
        "carla", lambda w: reverse("coordinators:case_export"), CASES,
        reads_whole_query="the export's audit entry records the query string (re-encoded, so inert)"),
    "coordinators:dashboard": GetView("carla", lambda w: reverse("coordinators:dashboard"),
                                      {"district": Param("id", _district)}),
    "coordinators:impact": GetView("carla", lambda w: reverse("coordinators:impact"), IMPACT),
    "coordinators:impact_export": GetView("carla", lambda w: reverse("coordinators:impact_export"), IMPACT),
    "coordinators:need_index": GetView("samira", lambda w: reverse("coordinators:need_index"), NEED),
    "coordinators:need_export": GetView("samira", lambda w: reverse("coordinators:need_export"), NEED),
    "coordinators:need_upload": GetView("samira", lambda w: reverse("coordinators:need_upload")),
    "coordinators:need_template": GetView("samira", lambda w: reverse("coordinators:need_template")),
    "coordinators:need_example": GetView("samira", lambda w: reverse("coordinators:need_example")),
    "coordinators:fidelity": GetView("carla", lambda w: reverse("coordinators:fidelity"), FIDELITY),
    "coordinators:fidelity_export": GetView("carla", lambda w: reverse("coordinators:fidelity_export"), FIDELITY),
    "coordinators:audit": GetView("carla", lambda w: reverse("coordinators:audit"),
                                  {"page": Param("page", lambda w: "1")}),
    "coordinators:case_new": GetView("carla", lambda w: reverse("coordinators:case_new"),
                                     {"district": Param("scope-id", _district)}),
    "coordinators:case_import": GetView("carla", lambda w: reverse("coordinators:case_import"),
                                        {"district": Param("scope-id", _district)}),
    "coordinators:attendance_import": GetView("carla", lambda w: reverse("coordinators:attendance_import"),
                                              {"district": Param("scope-id", _district)}),
    # The waiting list: another district or school is a 404, audited (tests/coordinators/test_waiting).
    "coordinators:waiting": GetView("carla", lambda w: reverse("coordinators:waiting"), {
        "district": Param("id", _district), "school": Param("id", lambda w: str(w.case.school_id)),
        "band": Param("choice", lambda w: "severe"), "family": Param("choice", lambda w: "all"),
        "page": Param("page", lambda w: "1")}),
    "training_sessions:upcoming": GetView("ana", lambda w: reverse("training_sessions:upcoming"), {
        "from": Param("date", _today), "kind": Param("choice", lambda w: "connection")}),
    "training_sessions:month": GetView("ana", lambda w: reverse("training_sessions:month"),
                                       {"kind": Param("choice", lambda w: "connection")}),
    "training_sessions:month_of": GetView("ana", lambda w: reverse("training_sessions:month_of", args=[2100, 12]),
                                          {"kind": Param("choice", lambda w: "talk_tuesday")}),
    "courses:certificate_list": GetView("tomas", lambda w: reverse("courses:certificate_list"),
                                        {"q": Param("search", lambda w: "Marcus")}),
    "courses:analytics": GetView("tomas", lambda w: reverse("courses:analytics"),
                                 {"course": Param("id", lambda w: str(w.course.pk))}),
    "courses:analytics_csv": GetView("tomas", lambda w: reverse("courses:analytics_csv", args=[w.course.pk])),
    "discussion:room": GetView("ana", lambda w: reverse("discussion:room", args=["district-hartford"]),
                               {"before": Param("id", lambda w: str(w.messages["marcus"].pk))},
                               writes=("hub_roommembership",)),  # the latest page moves the read marker
    "privacy:requests": GetView("samira", lambda w: reverse("privacy:requests"), {"page": Param("page", lambda w: "1")}),
    "outbox:list": GetView("samira", lambda w: reverse("outbox:list"),
                           {"state": Param("choice", lambda w: "failed"), "page": Param("page", lambda w: "1")}),
    "wagtail_serve recordings": GetView("ana", lambda w: w.recordings.url, {
        "q": Param("search", lambda w: "kitchen"), "topic": Param("choice", lambda w: "first-visits")},
        name="wagtail_serve"),
    # Redirect targets: Django's own check (url_has_allowed_host_and_scheme) keeps or drops them.
    "login": GetView(None, lambda w: reverse("login"), NEXT),
    "set_language": GetView(None, lambda w: reverse("set_language"), NEXT, ok=(302, 204)),
    "twofactor:verify": GetView("carla", lambda w: reverse("twofactor:verify"), NEXT, ok=(302,)),
    "wagtailcore_login": GetView(None, lambda w: reverse("wagtailcore_login"), NEXT),
    # -- views that read none (GET to prove it: the recorded reads must stay empty) -------------------------
    "wagtail_serve home": GetView("ana", lambda w: "/", name="wagtail_serve"),
    "wagtail_serve course": GetView("ana", lambda w: w.course.url, name="wagtail_serve"),
    "wagtail_serve module": GetView("ana", lambda w: w.modules[0].url, name="wagtail_serve"),
    "wagtail_serve recording": GetView("ana", _recording, name="wagtail_serve"),
    "coordinators:board_home": GetView("carla", lambda w: reverse("coordinators:board_home"), ok=(302,)),
    "coordinators:case_detail": GetView("carla", lambda w: reverse("coordinators:case_detail", args=[w.case.pk])),
    "coordinators:my_cases": GetView("marcus", lambda w: reverse("coordinators:my_cases")),
    "coordinators:roster_person": GetView("carla", lambda w: reverse("coordinators:roster_person",
                                                                     args=[w.people["marcus"].pk])),
    "courses:certificate_pdf": GetView("marcus", lambda w: reverse("courses:certificate_pdf",
                                                                   args=[w.certificate.code])),
    "courses:certificate_verify": GetView(None, lambda w: reverse("courses:certificate_verify",
                                                                  args=[w.certificate.code])),
    "courses:my_training": GetView("ana", lambda w: reverse("courses:my_training")),
    # Open Badges: the download draws the certificate's status index once and the first key on first use.
    "courses:certificate_badge": GetView("marcus", lambda w: reverse("courses:certificate_badge",
                                                                     args=[w.certificate.code]),
                                         writes=("courses_certificate", "courses_badgesigningkey")),
    "courses:credential_check": GetView(None, lambda w: reverse("courses:credential_check")),
    "badges:issuer": GetView(None, lambda w: reverse("badges:issuer")),
    "badges:jwks": GetView(None, lambda w: reverse("badges:jwks")),
    "hub_media": GetView(None, lambda w: reverse("hub_media", args=["filer_public/none.mp4"]), ok=(404,)),
    "badges:achievement": GetView(None, lambda w: reverse("badges:achievement", args=[w.course.code])),
    "badges:status_list": GetView(None, lambda w: reverse("badges:status_list", args=[1]),
                                  writes=("courses_badgesigningkey",)),
    "discussion:rooms": GetView("ana", lambda w: reverse("discussion:rooms")),
    "joining:invitations": GetView("carla", lambda w: reverse("joining:invitations")),
    "joining:import": GetView("carla", lambda w: reverse("joining:import")),
    "jobs:list": GetView("carla", lambda w: reverse("jobs:list")),
    # The world holds no job: an id that is nobody's (or another person's) is a 404 (tests/jobs).
    "jobs:detail": GetView("carla", lambda w: reverse("jobs:detail", args=[987654]), ok=(404,)),
    "jobs:status": GetView("carla", lambda w: reverse("jobs:status", args=[987654]), ok=(404,)),
    "jobs:download": GetView("carla", lambda w: reverse("jobs:download", args=[987654]), ok=(404,)),
    "joining:learners": GetView("tomas", lambda w: reverse("joining:learners")),
    "joining:learner_waiting": GetView(None, lambda w: reverse("joining:learner_waiting")),
    "membership:people": GetView("carla", lambda w: reverse("membership:people")),
    "membership:moves_incoming": GetView("dwayne", lambda w: reverse("membership:moves_incoming")),
    "hub:districts": GetView("carla", lambda w: reverse("hub:districts")),
    "hub:health": GetView(None, lambda w: reverse("hub:health")),
    "hub:profile": GetView("ana", lambda w: reverse("hub:profile")),
    # POST only: a GET signs nobody out (405).
    "hub:sign_out_everywhere": GetView("ana", lambda w: reverse("hub:sign_out_everywhere"), ok=(405,)),
    "outbox:send_again": GetView("samira", lambda w: reverse("outbox:send_again", args=[1]), ok=(405,)),
    "scheduled:list": GetView("samira", lambda w: reverse("scheduled:list")),
    "scheduled:run_now": GetView("samira", lambda w: reverse("scheduled:run_now", args=["purge_closed_cases"]),
                                 ok=(405,)),
    # The world holds no insight: the pages answer 404 for one that does not exist (tests/roundtable and
    # tests/hostile/test_insights.py try them with real insights).
    "roundtable:insight_edit": GetView("tomas", lambda w: reverse("roundtable:insight_edit",
                                                                  args=[w.roundtable.pk, 987654]), ok=(404,)),
    "roundtable:insight_delete": GetView("tomas", lambda w: reverse("roundtable:insight_delete",
                                                                    args=[w.roundtable.pk, 987654]), ok=(404,)),
    "logout": GetView("ana", lambda w: reverse("logout"), ok=(405,)),
    "password_change_done": GetView("ana", lambda w: reverse("password_change_done")),
    "password_reset_complete": GetView(None, lambda w: reverse("password_reset_complete")),
    "password_reset_confirm": GetView(None, lambda w: reverse("password_reset_confirm", args=["MQ", "set-password"])),
    "password_reset_done": GetView(None, lambda w: reverse("password_reset_done")),
    "roundtable:cancel": GetView(None, lambda w: reverse("roundtable:cancel", args=[w.signup_token]), ok=(405,)),
    "roundtable:export_csv": GetView("tomas", lambda w: reverse("roundtable:export_csv", args=[w.roundtable.pk])),
    "roundtable:insights": GetView("tomas", lambda w: reverse("roundtable:insights")),
    "roundtable:organise": GetView("tomas", lambda w: reverse("roundtable:organise")),
    "roundtable:organise_detail": GetView("tomas", lambda w: reverse("roundtable:organise_detail",
                                                                     args=[w.roundtable.pk])),
    "roundtable:roundtable_new": GetView("tomas", lambda w: reverse("roundtable:roundtable_new")),
    "roundtable:roundtable_edit": GetView("samira", lambda w: reverse("roundtable:roundtable_edit",
                                                                      args=[w.roundtable.pk])),
    "roundtable:roundtable_copy": GetView("tomas", lambda w: reverse("roundtable:roundtable_copy",
                                                                     args=[w.roundtable.pk])),
    "roundtable:roundtable_cancel": GetView("tomas", lambda w: reverse("roundtable:roundtable_cancel",
                                                                       args=[w.roundtable.pk])),
    "roundtable:private": GetView(None, lambda w: reverse("roundtable:private", args=[w.signup_token])),
    "roundtable:upcoming": GetView(None, lambda w: reverse("roundtable:upcoming")),
    "training_sessions:feed_regenerate": GetView("ana", lambda w: reverse("training_sessions:feed_regenerate"),
                                                 ok=(405,)),
    "training_sessions:manage": GetView("tomas", lambda w: reverse("training_sessions:manage")),
    "training_sessions:mine": GetView("ana", lambda w: reverse("training_sessions:mine")),
    "training_sessions:occurrence": GetView("ana", occ("occurrence")),
    "training_sessions:observations": GetView(
        "tomas", lambda w: reverse("training_sessions:observations", args=[w.practice.pk, w.practice_key]),
        {"participant": Param("id", lambda w: str(w.people["ana"].pk)),
         "scenario": Param("id", lambda w: str(w.scenario.pk))}),
    "courses:coaches": GetView("tomas", lambda w: reverse("courses:coaches")),
    "training_sessions:occurrence_ics": GetView("ana", occ("occurrence_ics")),
    "training_sessions:personal_feed": GetView(None, lambda w: reverse("training_sessions:personal_feed",
                                                                       args=[w.feed_token])),
    "training_sessions:recording_upload": GetView("tomas", lambda w: reverse("training_sessions:recording_upload")),
    "training_sessions:series": GetView("ana", lambda w: reverse("training_sessions:series", args=[w.series.pk])),
    "training_sessions:series_feed": GetView("ana", lambda w: reverse("training_sessions:series_feed",
                                                                      args=[w.series.pk])),
    "twofactor:backup_codes": GetView("carla", lambda w: reverse("twofactor:backup_codes")),
    "twofactor:setup": GetView("carla", lambda w: reverse("twofactor:setup"), NEXT, ok=(200, 302)),
    "twofactor:turn_off": GetView("carla", lambda w: reverse("twofactor:turn_off")),
    "wagtailcore_authenticate_with_password": GetView(
        None, lambda w: reverse("wagtailcore_authenticate_with_password", args=[987654, 3]), ok=(404,)),
}


def view_name(key: str) -> str:
    return GET_VIEWS[key].name or key


# -- the values -------------------------------------------------------------------------------------------
# (id, raw) where raw is what follows `name=` in the query string, already percent-encoded (so that bytes
# that are not UTF-8 reach the server as they would from a hostile client), or a list of such values (the
# parameter given several times), or a function of the view's valid (encoded) value.

def q(text: str) -> str:
    return quote(text, safe="")


HOSTILE_VALUES = [
    ("nul", "%00"), ("nul-after-valid", lambda v: v + "%00"), ("nul-before-valid", lambda v: "%00" + v),
    ("nul-inside", "a%00b"),
    ("invalid-utf8", "%ff"), ("invalid-utf8-after-valid", lambda v: v + "%ff%fe"), ("lone-surrogate", "%ed%a0%80"),
    ("overlong-utf8", "%c0%af"), ("escape-control", "%1b%5b31m"), ("bell-control", "a%07"),
    ("rtl-override", q("\u202eabc")),
    ("10k-letters", "x" * 10_000), ("10k-digits", "9" * 10_000),
    ("repeated-bad-last", lambda v: [v, "x%00"]), ("repeated-valid-last", lambda v: ["%00", "%ff", v]),
    ("repeated-50-times", lambda v: [v] * 50),
    ("far-past", "0001-01-01"), ("year-zero", "0000-01-01"), ("far-future", "9999-12-31"),
    ("huge-year", "99999-01-01"), ("before-the-calendar", "1999-12-31"), ("after-the-calendar", "2101-01-01"),
    ("impossible-date", "2026-02-30"), ("short-date", "2026-1-1"), ("date-and-time", q("2026-01-01T00:00")),
    ("text-date", q("next tuesday")), ("week-date", "2026-W01"),
    ("negative", "-1"), ("zero", "0"), ("huge", "9" * 30), ("int64-overflow", "9223372036854775808"),
    ("float", "1.5"), ("float-whole", "1.0"), ("exponent", "1e400"), ("small-exponent", "1e3"), ("nan", "NaN"),
    ("infinity", "inf"),
    ("month-13", "2026-13"), ("month-year-zero", "0000-01"), ("month-huge-year", "99999-01"),
    ("month-zero", "2026-00"),
    ("arabic-digits", q("١٢")), ("superscript-digit", q("²")), ("fullwidth-digits", q("１２")),
    ("empty", ""), ("spaces", "%20%20"),
    ("script", q("<script>alert(1)</script>")), ("sql", q("1 OR 1=1")),
]

_FORM_KINDS = ("id", "page", "date", "choice", "search", "month")
# Values each kind takes; every other value of HOSTILE_VALUES is refused (for "next": ignored).
_ALWAYS = {"empty", "repeated-valid-last", "repeated-50-times"}
ACCEPTED = {
    "id": _ALWAYS | {"spaces"},
    "page": _ALWAYS | {"spaces"},
    "date": _ALWAYS | {"spaces"},
    "choice": _ALWAYS | {"spaces"},
    "month": _ALWAYS | {"spaces"},
    "scope-id": _ALWAYS,
    # A weight: 0 to 100 in plain digits, two decimals at most (tests/coordinators/test_need_index.py).
    "weight": _ALWAYS | {"spaces", "zero", "float", "float-whole"},
    # Text is a search for that text: only what is not text (NUL, controls, bytes that are not UTF-8) and
    # what is too long are refused.
    "search": {vid for vid, _ in HOSTILE_VALUES} - {
        "nul", "nul-after-valid", "nul-before-valid", "nul-inside", "invalid-utf8", "invalid-utf8-after-valid",
        "lone-surrogate", "overlong-utf8", "escape-control", "bell-control", "10k-letters", "10k-digits",
        "repeated-bad-last"},
}


def outcome(kind: str, value_id: str) -> str:
    """"accepted", "refused" (400 naming the parameter; 404 for a scope-id) or "ignored" (a "next")."""
    if kind == "next":
        return "ignored"
    return "accepted" if value_id in ACCEPTED[kind] else "refused"


def query_string(name: str, raw) -> str:
    values = raw if isinstance(raw, list) else [raw]
    return "&".join(f"{name}={value}" for value in values)
