"""The explicit table: each view of our apps that accepts POST (or answers CSV / a calendar feed, or reads
query parameters) and the hostile inputs it is walked with. `test_coverage` fails, naming the URL, when a
view of our apps has neither an entry here nor a reason in `REVIEWED_NO_INPUT`.

An entry posts a VALID payload with ONE field replaced by a hostile value (so the refusal is about that
value). Free-text fields also get the INERT inputs (markup, SQL, RTL override): text like that is not
wrong in itself, so it is posted together with `breaker` (one other field made invalid): the request
must be refused, change nothing, and the re-rendered form must not echo the markup unescaped.

How each view refuses (`refusal`):
- "form": the form comes back with the error shown: 400 (or 200 where the view re-renders with 200,
  `ok_status`), and the error text is in the page.
- "flash": a redirect with an error message (Django messages) for the next page.
- "status": a 4xx page (403/404/...).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from tests.hostile import catalogue as cat


@dataclass
class Endpoint:
    user: str | None
    url: Callable
    valid: Callable = lambda w: {}
    fields: dict = field(default_factory=dict)  # field -> [(id, value)], each refused
    inert: tuple = ()  # free-text fields that also get INERT_TEXT (with `breaker`)
    breaker: dict = field(default_factory=dict)
    refusal: str = "form"
    ok_status: tuple = (400,)
    method: str = "post"
    expect: object = field(default_factory=dict)  # table -> rows a refusal adds (or f(field, value) -> that)
    urls: dict = field(default_factory=dict)  # id -> url(w): hostile URLs (other people's ids ...)
    url_refusal: str = "status"
    url_expect: dict = field(default_factory=dict)


def _failed_sign_in(field_name, value) -> dict:
    """django-axes records a failed sign-in (one row per user name and address); a form that is refused
    before the password is checked (a NUL byte, a user name over 150 characters) records nothing."""
    from django.conf import settings

    if "axes" not in settings.INSTALLED_APPS or "\x00" in value or (field_name == "username" and len(value) > 150):
        return {}
    return {"axes_accessattempt": 1}


def _today_iso():
    from django.utils import timezone

    return timezone.localdate().isoformat()


def need_upload_valid(w) -> dict:
    """A district data file for two world districts, as a fresh upload (a file is read once)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = ("district,enrollment,attendance_rate,frl_share,english_learner_share,remote_share\n"
            "hartford,17300,84.6,83.2,19.7,5\nnew-haven,19000,85.9,77.4,18.6,4\n")
    return {"school_year": "2025", "file": SimpleUploadedFile("districts.csv", text.encode(), content_type="text/csv")}


NUMBER = [(i, v) for i, v in cat.WRONG_NUMBERS] + [("list-for-scalar", ["1", "twelve"])]
IDS = cat.WRONG_IDS
CHOICE = cat.WRONG_CHOICES
CHOICE_OPTIONAL = [c for c in cat.WRONG_CHOICES if c[0] != "empty-choice"]


def signup_valid(w):
    return {"name": "A Family", "preferred_language": "en", "email": "new-family@example.org", "phone": "",
            "interpretation_language": "", "children_count": "0", "accessibility_needs": "", "district": "",
            "heard_from": "", "consent": "on", "website": ""}


def roundtable_valid(w):
    """A valid organiser's form for a new roundtable (held in Spanish, in two weeks)."""
    from datetime import timedelta

    from django.utils import timezone

    return {"title_en": "Mornings that work", "title_es": "Mañanas que funcionan", "description_en": "About mornings.",
            "description_es": "Sobre las mañanas.", "held_in": "es", "languages": ["es", "en"],
            "format": "in_person", "address": "195 Putnam Street, Hartford", "address_es": "", "join_link": "",
            "date": (timezone.localdate() + timedelta(days=14)).isoformat(), "start_time": "18:00",
            "end_time": "20:00", "capacity": "12", "childcare": "on", "district": "", "publish": "on"}


def roundtable_edit_valid(w):
    """The world's roundtable's own details, as its edit form draws them."""
    from django.utils import timezone

    rt = w.roundtable
    starts, ends = timezone.localtime(rt.starts_at), timezone.localtime(rt.ends_at)
    return dict(roundtable_valid(w), title_en=rt.title_en, title_es=rt.title_es, description_en="", description_es="",
                held_in=rt.held_in, languages=list(rt.languages), address=rt.address, capacity=str(rt.capacity),
                date=starts.date().isoformat(), start_time=starts.strftime("%H:%M"), end_time=ends.strftime("%H:%M"))


def copy_valid(w, days: int = 21):
    from datetime import timedelta

    from django.utils import timezone

    return {"date": (timezone.localdate() + timedelta(days=days)).isoformat(), "start_time": "18:00",
            "end_time": "20:00"}


def _yesterday():
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate() - timedelta(days=1)).isoformat()


ROUNDTABLE_DATES = cat.WRONG_DATES + [("passed-date", "__yesterday__"), ("beyond-two-years", "2999-01-01"),
                                      ("year-9999", "9999-12-31")]
ROUNDTABLE_FIELDS = {
    "title_en": cat.bad_text(200) + [("only-spaces", "   ")],
    "title_es": [("missing-spanish", ""), ("only-spaces", "   ")] + cat.oversized(200),
    "description_es": [("missing-spanish", "")] + cat.oversized(4000),
    "held_in": CHOICE, "languages": CHOICE_OPTIONAL + [("list-of-unknown", ["en", "tlh"])],
    "format": CHOICE, "address": [("missing-address", ""), ("only-spaces", "   ")] + cat.oversized(500),
    "join_link": [("javascript-link", "javascript:alert(1)"), ("over-link", "https://e.org/" + "x" * 300)],
    "capacity": NUMBER + [("zero-seats", "0"), ("negative-seats", "-5"), ("501", "501"),
                          ("huge-seats", "99999999999999999999")],
    "district": IDS, "date": ROUNDTABLE_DATES, "start_time": cat.WRONG_TIMES,
    "end_time": cat.WRONG_TIMES + [("before-start", "17:00"), ("same-as-start", "18:00")],
}


def case_valid(w):
    school = w.case.school_id
    return {"student_ref": "S-99", "first_name": "Rosa", "last_initial": "M", "grade": "3", "school": str(school),
            "home_language": "Spanish", "days_enrolled": "60", "days_absent": "9", "referral_reason": "Absent"}


def visit_valid(w):
    return {"visited_on": _today_iso(), "kind": "visit", "place": "home", "wants_more": "yes",
            "attendees": [str(w.people["marcus"].pk)], "who_came": "Grandmother", "next_step": "Call Friday",
            "notes": "Fine"}


def series_valid(w):
    from datetime import timedelta

    from django.utils import timezone

    first = timezone.localdate() + timedelta(days=3)
    return {"kind": "connection", "title": "New series", "description": "", "audience": "all", "district": "",
            "capacity": "20", "join_link": "", "repeat": "weekly", "weekday": str(first.weekday()), "nth": "",
            "first_date": first.isoformat(), "last_date": (first + timedelta(weeks=2)).isoformat(),
            "start_time": "18:00", "duration_minutes": "60"}


def occ(name):
    return lambda w: reverse(f"training_sessions:{name}", args=[w.series.pk, w.occurrence_key])


def occ_urls(name):
    """Hostile occurrence URLs: a key that is no time, a time the series doesn't meet, no such series."""
    return {
        "bad-key": lambda w: reverse(f"training_sessions:{name}", args=[w.series.pk, "<script>"]),
        "key-not-a-date": lambda w: reverse(f"training_sessions:{name}", args=[w.series.pk, "20261399T999999Z"]),
        "not-meeting": lambda w: reverse(f"training_sessions:{name}", args=[w.series.pk, "20200101T000000Z"]),
        "missing-series": lambda w: reverse(f"training_sessions:{name}", args=[987654, w.occurrence_key]),
    }


def _recording_id(w):
    from sessions.models import RecordingPage

    return RecordingPage.objects.child_of(w.recordings).first().pk


TEXT_1000 = cat.bad_text(1000)
REFLECTION_MAX = __import__("courses.models", fromlist=["Reflection"]).Reflection.MAX_LENGTH

def invite_valid(w):
    return {"name": "Lena Park", "email": "lena.park@example.org", "role": "Visitor", "district": str(w.hartford.pk),
            "organisation": "", "language": "en"}


def accept_valid(w):
    return {"name": "Nia Newcomer", "language": "en", "password1": "kitchen-table-visits-42",
            "password2": "kitchen-table-visits-42"}


def _join(token):
    return reverse("joining:accept", args=[token])


def learner_valid(w):
    return {"name": "Kim Learner", "email": "kim@elsewhere.example.org", "organisation": "Elsewhere Schools",
            "region": "Ontario", "country": "Canada", "language": "en", "password1": "porch-light-visits-42",
            "password2": "porch-light-visits-42", "website": ""}


LEARNER_TEXT = cat.SCRIPT[:2] + cat.FORMULAS + [("only-spaces", "   "), ("missing", ""),
                                                ("escape-char", "Elsewhere\x1bSchools")]


FIDELITY_TARGET_FIELDS = ("first_contact_days", "first_visit_days", "two_visits_share", "pairs_share",
                          "in_person_share", "follow_up_days", "follow_up_share", "offered_share", "accepted_share",
                          "connected_share", "certified_share")


def fidelity_targets_valid(w):
    return {name: "50" if name.endswith("_share") else "10" for name in FIDELITY_TARGET_FIELDS}


ENDPOINTS: dict[str, Endpoint] = {
    # -- scheduled jobs (hub.schedule) ---------------------------------------------------------------------
    "scheduled:run_now": Endpoint(
        user="samira", url=lambda w: reverse("scheduled:run_now", args=["send_session_reminders"]),
        urls={"missing-job": lambda w: reverse("scheduled:run_now", args=["no_such_job"]),
              "huge-job-name": lambda w: reverse("scheduled:run_now", args=["x" * 5000]),
              "sql-job-name": lambda w: "/schedule/purge_closed_cases'--/run-now/"},
    ),
    # -- account life (hub.membership) ----------------------------------------------------------------------
    "membership:leave": Endpoint(
        user="carla", url=lambda w: reverse("membership:leave", args=[w.people["marcus"].pk]),
        urls={"other-districts-visitor": lambda w: reverse("membership:leave", args=[w.people["jordan"].pk]),
              "missing-person": lambda w: reverse("membership:leave", args=[987654]),
              "a-trainer": lambda w: reverse("membership:leave", args=[w.people["tomas"].pk])},
        url_expect={"coordinators_auditentry": 1},
    ),
    "membership:move": Endpoint(
        user="carla", url=lambda w: reverse("membership:move", args=[w.people["marcus"].pk]),
        valid=lambda w: {"district": str(w.new_haven.pk)},
        fields={"district": IDS + [("same-district", "__hartford_district__"), ("empty", ""),
                                   ("list-for-scalar", ["1", "twelve"])]},
        refusal="status",
        urls={"other-districts-visitor": lambda w: reverse("membership:move", args=[w.people["jordan"].pk]),
              "state-staff": lambda w: reverse("membership:move", args=[w.people["samira"].pk]),
              "huge-person": lambda w: reverse("membership:move", args=[99999999999999])},
        url_expect={"coordinators_auditentry": 1},
    ),
    "membership:deactivate": Endpoint(
        user="carla", url=lambda w: reverse("membership:deactivate", args=[w.people["marcus"].pk]),
        urls={"other-districts-visitor": lambda w: reverse("membership:deactivate", args=[w.people["jordan"].pk]),
              "missing-person": lambda w: reverse("membership:deactivate", args=[987654])},
        url_expect={"coordinators_auditentry": 1},
    ),
    "membership:move_decide": Endpoint(
        user="dwayne", url=lambda w: reverse("membership:move_decide", args=[w.move.pk]),
        valid=lambda w: {"action": "accept"}, fields={"action": CHOICE + [("list-for-scalar", ["accept", "x"])]},
        refusal="status",
        urls={"missing-move": lambda w: reverse("membership:move_decide", args=[987654])},
        url_expect={"coordinators_auditentry": 1},
    ),
    "membership:move_withdraw": Endpoint(
        user="dwayne", url=lambda w: reverse("membership:move_withdraw", args=[w.move.pk]),
        urls={"not-the-sending-district": lambda w: reverse("membership:move_withdraw", args=[w.move.pk]),
              "missing-move": lambda w: reverse("membership:move_withdraw", args=[987654])},
        url_expect={"coordinators_auditentry": 1},
    ),
    # -- joining (invitations) ----------------------------------------------------------------------------
    "joining:invite": Endpoint(
        user="carla", url=lambda w: reverse("joining:invite"), valid=invite_valid,
        fields={
            "name": cat.bad_text(150) + [("only-spaces", "   ")],
            "email": cat.oversized(254) + [("not-an-email", "not-an-email"), ("sql-email", "' OR 1=1 --@x"),
                                           ("script-email", "<script>@example.org"),
                                           ("has-an-account", "ana@example.org"),
                                           ("already-invited", "NIA@example.org")],
            "role": CHOICE + [("trainer", "Trainer"), ("coordinator", "Coordinator"), ("state-staff", "State staff"),
                              ("regional-staff", "Regional staff"), ("superuser", "superuser")],
            "district": IDS + [("other-district", "__nh_district__"), ("no-district", "")],
            "organisation": [("other-districts-school", "Fair Haven School"), ("unknown", "No Such School"),
                             ("over-160", "s" * 161)] + cat.SCRIPT[:2],
            "language": CHOICE + [("french", "fr")],
        },
        inert=("name",), breaker={"language": ""},
    ),
    "joining:resend": Endpoint(
        user="carla", url=lambda w: reverse("joining:resend", args=[w.invitation.pk]),
        urls={"other-districts-invitation": lambda w: reverse("joining:resend", args=[w.nh_invitation.pk]),
              "missing-invitation": lambda w: reverse("joining:resend", args=[987654])},
    ),
    "joining:withdraw": Endpoint(
        user="carla", url=lambda w: reverse("joining:withdraw", args=[w.invitation.pk]),
        urls={"other-districts-invitation": lambda w: reverse("joining:withdraw", args=[w.nh_invitation.pk]),
              "missing-invitation": lambda w: reverse("joining:withdraw", args=[987654])},
    ),
    "joining:accept": Endpoint(
        user=None, url=lambda w: _join(w.invite_token), valid=accept_valid,
        fields={
            "name": cat.bad_text(150) + [("only-spaces", "   ")],
            "language": CHOICE + [("french", "fr")],
            "password1": [("empty", ""), ("short", "abc"), ("common", "password"), ("numeric", "12345678901"),
                          ("like-the-email", "nia@example.org"), ("mismatch", "another-long-password-9")],
            "password2": [("empty", ""), ("mismatch", "another-long-password-9")],
        },
        inert=("name",), breaker={"password2": "not-the-same-password-7"},
        urls={"used": lambda w: _join(w.invite_tokens["used"]),
              "expired": lambda w: _join(w.invite_tokens["expired"]),
              "withdrawn": lambda w: _join(w.invite_tokens["withdrawn"]),
              "replaced-by-resend": lambda w: _join(w.invite_tokens["replaced"]),
              "altered": lambda w: _join(w.invite_token[:-2] + ("xy" if w.invite_token[-2:] != "xy" else "yz")),
              "too-short": lambda w: _join("abc"), "too-long": lambda w: _join("a" * 200),
              "script": lambda w: _join("<script>alert(1)<")},
    ),
    # -- joining (learners from elsewhere) -----------------------------------------------------------------
    "joining:learner_signup": Endpoint(
        user=None, url=lambda w: reverse("joining:learner_signup"), valid=learner_valid,
        fields={
            "name": cat.bad_text(150) + LEARNER_TEXT + [("rtl-override", "Kim\u202eLearner")],
            "email": cat.oversized(254) + [("not-an-email", "not-an-email"), ("sql-email", "' OR 1=1 --@x"),
                                           ("script-email", "<script>@example.org"), ("missing", "")],
            "organisation": cat.bad_text(160) + LEARNER_TEXT,
            "region": cat.bad_text(100) + LEARNER_TEXT,
            "country": cat.bad_text(100) + LEARNER_TEXT,
            "language": CHOICE + [("french", "fr")],
            "password1": [("empty", ""), ("short", "abc"), ("common", "password"), ("numeric", "12345678901"),
                          ("mismatch", "another-long-password-9")],
            "password2": [("empty", ""), ("mismatch", "another-long-password-9")],
        },
        urls={},
    ),
    "joining:learner_approve": Endpoint(
        user="tomas", url=lambda w: reverse("joining:learner_approve", args=[w.learner_request.pk]),
        urls={"missing-request": lambda w: reverse("joining:learner_approve", args=[987654]),
              "huge-id": lambda w: "/join/learners/99999999999999999999/approve/"},
    ),
    "joining:learner_refuse": Endpoint(
        user="tomas", url=lambda w: reverse("joining:learner_refuse", args=[w.learner_request.pk]),
        valid=lambda w: {"reason": "Not a home-visiting program"},
        fields={"reason": cat.bad_text(500) + [("list-for-scalar", ["a", "b" * 501])]}, refusal="flash",
        urls={"missing-request": lambda w: reverse("joining:learner_refuse", args=[987654])},
    ),
    # "Sign in with your school account" on the invitation's page. No provider is configured here, so a
    # good link and a known-looking provider still answer 404; tests/integration/test_sso.py drives the
    # real flow against a real provider.
    "joining:sso_start": Endpoint(
        user=None, url=lambda w: reverse("joining:sso_start", args=[w.invite_token, "school"]),
        valid=lambda w: {"process": "login"},
        urls={"used": lambda w: reverse("joining:sso_start", args=[w.invite_tokens["used"], "school"]),
              "expired": lambda w: reverse("joining:sso_start", args=[w.invite_tokens["expired"], "school"]),
              "withdrawn": lambda w: reverse("joining:sso_start", args=[w.invite_tokens["withdrawn"], "school"]),
              "too-long": lambda w: reverse("joining:sso_start", args=["a" * 200, "school"]),
              "unconfigured-provider": lambda w: reverse("joining:sso_start", args=[w.invite_token, "google"]),
              "script-provider": lambda w: reverse("joining:sso_start", args=[w.invite_token, "<script>x<"])},
        url_refusal="status",
    ),
    # -- roundtable (public) ------------------------------------------------------------------------------
    "roundtable:signup": Endpoint(
        user=None, url=lambda w: reverse("roundtable:signup", args=[w.roundtable.pk]), valid=signup_valid,
        fields={
            "name": cat.bad_text(120) + cat.SCRIPT[:2] + [("only-spaces", "   ")],
            "email": cat.oversized(254) + [("not-an-email", "not-an-email"), ("sql-email", "' OR 1=1 --@x"),
                                           ("script-email", "<script>@example.org")],
            "phone": [("text-phone", "twelve"), ("short-phone", "555"), ("n11", "911-555-0142"),
                      ("over-30", "8" * 31)] + cat.SCRIPT[:1],
            "children_count": NUMBER + [("eleven", "11")],
            "district": IDS,
            "heard_from": CHOICE_OPTIONAL,
            "interpretation_language": CHOICE_OPTIONAL,
            "preferred_language": CHOICE,
            "consent": [("no-consent", "")],
            "accessibility_needs": TEXT_1000 + cat.SCRIPT[:2],
        },
        urls={"missing-roundtable": lambda w: reverse("roundtable:signup", args=[987654])},
    ),
    "roundtable:insight_add": Endpoint(
        user="tomas", url=lambda w: reverse("roundtable:insight_add", args=[w.roundtable.pk]),
        valid=lambda w: {"tag": "transportation", "kind": "theme", "text": "Buses are late"},
        fields={"tag": CHOICE, "kind": CHOICE, "text": cat.bad_text(500)}, inert=("text",),
        breaker={"tag": ""}, refusal="flash",
        urls={"missing-roundtable": lambda w: reverse("roundtable:insight_add", args=[987654])},
    ),
    "roundtable:check_in": Endpoint(
        user="tomas", url=lambda w: reverse("roundtable:check_in", args=[w.roundtable.pk, w.signup.pk]),
        valid=lambda w: {"present": "1"},
        fields={"present": [("text-present", "yes please"), ("two-present", "2"), ("script-present", "<b>")]},
        refusal="flash",
        urls={"signup-of-other-roundtable": lambda w: reverse("roundtable:check_in", args=[987654, w.signup.pk]),
              "missing-signup": lambda w: reverse("roundtable:check_in", args=[w.roundtable.pk, 987654])},
    ),
    # -- roundtable (organisers) -----------------------------------------------------------------------
    "roundtable:roundtable_new": Endpoint(
        user="tomas", url=lambda w: reverse("roundtable:roundtable_new"), valid=roundtable_valid,
        fields=ROUNDTABLE_FIELDS, inert=("title_en", "description_en"), breaker={"capacity": "0"},
    ),
    "roundtable:roundtable_edit": Endpoint(
        user="samira", url=lambda w: reverse("roundtable:roundtable_edit", args=[w.roundtable.pk]),
        valid=roundtable_edit_valid,
        fields={**ROUNDTABLE_FIELDS, "title_es": [("missing-spanish", "")], "description_es": [],
                # One family holds a confirmed place: fewer seats than that is a form error.
                "capacity": ROUNDTABLE_FIELDS["capacity"],
                "publish": [("back-to-draft-with-families", "")]},
        inert=("title_en",), breaker={"capacity": "0"},
        urls={"missing-roundtable": lambda w: reverse("roundtable:roundtable_edit", args=[987654])},
    ),
    "roundtable:roundtable_copy": Endpoint(
        user="tomas", url=lambda w: reverse("roundtable:roundtable_copy", args=[w.roundtable.pk]),
        valid=copy_valid,
        fields={"date": ROUNDTABLE_DATES, "start_time": cat.WRONG_TIMES,
                "end_time": cat.WRONG_TIMES + [("before-start", "17:00")]},
        urls={"missing-roundtable": lambda w: reverse("roundtable:roundtable_copy", args=[987654])},
    ),
    "roundtable:roundtable_cancel": Endpoint(
        user="tomas", url=lambda w: reverse("roundtable:roundtable_cancel", args=[w.roundtable.pk]),
        urls={"missing-roundtable": lambda w: reverse("roundtable:roundtable_cancel", args=[987654])},
    ),
    # -- coordinators ---------------------------------------------------------------------------------------
    "coordinators:case_new": Endpoint(
        user="carla", url=lambda w: reverse("coordinators:case_new"), valid=case_valid,
        fields={
            "student_ref": cat.bad_text(40), "first_name": cat.bad_text(60),
            "last_initial": cat.bad_text(1) + [("two-letters", "ab")], "grade": CHOICE,
            "school": IDS + [("other-districts-school", "__nh_school__")],
            "home_language": cat.bad_text(40), "days_enrolled": NUMBER + [("367", "367")],
            "days_absent": NUMBER + [("367", "367")], "referral_reason": cat.bad_text(500),
            "referral_month": cat.WRONG_DATES + [("month-13", "2026-13"), ("month-00", "2026-00"),
                                                 ("year-zero-month", "0000-01"), ("huge-year-month", "99999-01"),
                                                 ("after-the-calendar", "2101-01"), ("next-century", "2100-12"),
                                                 ("nul-byte", "2026-01\x00"), ("too-long", "2026-01" * 3)],
        },
        inert=("first_name", "referral_reason"), breaker={"days_enrolled": ""},
        urls={"other-district": lambda w: reverse("coordinators:case_new") + f"?district={w.new_haven.pk}",
              "district-not-a-number": lambda w: reverse("coordinators:case_new") + "?district=abc"},
        url_expect={"coordinators_auditentry": 1},
    ),
    # The district data file (state staff): the school year is a choice; a file field given text instead of
    # a file is a missing file. Bad files and bad rows: tests/hostile/test_need_uploads.py.
    "coordinators:need_upload": Endpoint(
        user="samira", url=lambda w: reverse("coordinators:need_upload"), valid=need_upload_valid,
        fields={"school_year": NUMBER + CHOICE + [("before-2000", "1999"), ("far-future", "2100")],
                "file": [("text-for-a-file", "hartford,1,80,60,10,0"), ("empty-text", ""),
                         ("list-for-a-file", ["a", "b"])]},
    ),
    "coordinators:case_choice": Endpoint(
        user="carla", url=lambda w: reverse("coordinators:case_choice", args=[w.board_case.pk]),
        valid=lambda w: {"kind": "offered", "note": ""},
        fields={"kind": CHOICE, "note": cat.bad_text(300)}, inert=("note",), breaker={"kind": ""},
        refusal="flash",
        urls={"other-districts-case": lambda w: reverse("coordinators:case_choice", args=[w.nh_case.pk]),
              "missing-case": lambda w: reverse("coordinators:case_choice", args=[987654])},
        url_expect={"coordinators_auditentry": 1},
    ),
    "coordinators:case_assign": Endpoint(
        user="carla", url=lambda w: reverse("coordinators:case_assign", args=[w.board_case.pk]),
        valid=lambda w: {"visitor_1": str(w.people["marcus"].pk), "visitor_2": str(w.people["luis"].pk)},
        fields={"visitor_1": IDS + [("other-districts-visitor", "__jordan__")],
                "visitor_2": IDS[:-1] + [("other-districts-visitor", "__jordan__")]},
        urls={"other-districts-case": lambda w: reverse("coordinators:case_assign", args=[w.nh_case.pk])},
        url_expect={"coordinators_auditentry": 1},
    ),
    "coordinators:waiting_assign": Endpoint(
        user="carla", url=lambda w: reverse("coordinators:waiting_assign", args=[w.board_case.pk]),
        valid=lambda w: {"visitor_1": str(w.people["marcus"].pk), "visitor_2": str(w.people["luis"].pk)},
        fields={"visitor_1": IDS + [("other-districts-visitor", "__jordan__")],
                "visitor_2": IDS[:-1] + [("other-districts-visitor", "__jordan__")]},
        urls={"other-districts-case": lambda w: reverse("coordinators:waiting_assign", args=[w.nh_case.pk]),
              "other-districts-list": lambda w: reverse("coordinators:waiting_assign", args=[w.nh_case.pk])
              + f"?district={w.new_haven.pk}",
              "missing-case": lambda w: reverse("coordinators:waiting_assign", args=[987654])},
        url_expect={"coordinators_auditentry": 1},
    ),
    "coordinators:visit_new": Endpoint(
        user="marcus", url=lambda w: reverse("coordinators:visit_new", args=[w.case.pk]), valid=visit_valid,
        fields={
            "visited_on": cat.WRONG_DATES + [("far-future", "2999-01-01")], "kind": CHOICE, "place": CHOICE,
            "wants_more": CHOICE, "attendees": IDS + [("not-on-the-case", "__ana__")],
            "barriers": IDS, "resources": IDS, "who_came": cat.bad_text(200), "next_step": cat.bad_text(300),
            "notes": cat.bad_text(5000),
        },
        inert=("notes", "who_came"), breaker={"kind": ""},
        urls={"other-districts-case": lambda w: reverse("coordinators:visit_new", args=[w.nh_case.pk]),
              "case-not-assigned-to-me": lambda w: reverse("coordinators:visit_new", args=[w.board_case.pk])},
        url_expect={"coordinators_auditentry": 1},
    ),
    "coordinators:visit_edit": Endpoint(
        user="marcus", url=lambda w: reverse("coordinators:visit_edit", args=[w.visit.pk]), valid=visit_valid,
        fields={"visited_on": cat.WRONG_DATES, "kind": CHOICE, "notes": cat.bad_text(5000),
                "attendees": IDS},
        inert=("notes",), breaker={"place": ""},
        urls={"missing-visit": lambda w: reverse("coordinators:visit_edit", args=[987654])},
        url_expect={"coordinators_auditentry": 1},
    ),
    "coordinators:referral_outcome": Endpoint(
        user="carla", url=lambda w: reverse("coordinators:referral_outcome", args=[w.referral.pk]),
        valid=lambda w: {"outcome": "connected"}, fields={"outcome": CHOICE}, refusal="flash",
        urls={"missing-referral": lambda w: reverse("coordinators:referral_outcome", args=[987654])},
        url_expect={"coordinators_auditentry": 1},
    ),
    "coordinators:board": Endpoint(
        user="marcus", url=lambda w: reverse("coordinators:board", args=[w.hartford.pk]),
        valid=lambda w: {"action": "volunteer", "case": str(w.board_case.pk), "partner": ""},
        fields={"action": CHOICE, "case": IDS + [("other-districts-case", "__nh_case__")],
                "partner": [("missing-partner", "987654"), ("other-districts-partner", "__jordan__")]},
        urls={"other-district": lambda w: reverse("coordinators:board", args=[w.new_haven.pk])},
        url_expect={"coordinators_auditentry": 1},
    ),
    "coordinators:fidelity_targets": Endpoint(
        user="samira", url=lambda w: reverse("coordinators:fidelity_targets"), valid=fidelity_targets_valid,
        fields={name: NUMBER + ([("over-100", "101")] if name.endswith("_share") else [("over-a-year", "366")])
                for name in FIDELITY_TARGET_FIELDS},
    ),
    # -- courses ---------------------------------------------------------------------------------------------
    "courses:check_submit": Endpoint(
        user="ana", url=lambda w: reverse("courses:check_submit", args=[w.modules[0].pk, w.check_id]),
        valid=lambda w: {"q0": "0", "q1": "1"},
        fields={"q0": [("text-answer", "abc"), ("negative-answer", "-1"), ("out-of-range", "99"),
                       ("huge-answer", "9" * 30), ("float-answer", "0.5"), ("empty-answer", "")],
                "q1": [("sql-answer", "1 OR 1=1"), ("list-with-a-bad-answer", ["1", "99"])],
                "q99": [("unknown-question", "0")]},
        refusal="flash",
        urls={"unknown-check": lambda w: reverse("courses:check_submit", args=[w.modules[0].pk, "not-a-check"]),
              "locked-module": lambda w: reverse("courses:check_submit", args=[w.modules[1].pk, w.check_id]),
              "missing-module": lambda w: reverse("courses:check_submit", args=[987654, w.check_id])},
    ),
    "courses:reflection_submit": Endpoint(
        user="ana", url=lambda w: reverse("courses:reflection_submit", args=[w.modules[0].pk, w.reflection_id]),
        valid=lambda w: {"text": "I will ask about the children."},
        fields={"text": cat.bad_text(REFLECTION_MAX)},
        urls={"unknown-block": lambda w: reverse("courses:reflection_submit", args=[w.modules[0].pk, "nope"]),
              "locked-module": lambda w: reverse("courses:reflection_submit", args=[w.modules[1].pk,
                                                                                    w.reflection_id])},
    ),
    "courses:module_complete": Endpoint(
        user="ana", url=lambda w: reverse("courses:module_complete", args=[w.modules[0].pk]),
        refusal="flash",
        urls={"locked-module": lambda w: reverse("courses:module_complete", args=[w.modules[1].pk]),
              "missing-module": lambda w: reverse("courses:module_complete", args=[987654]),
              "course-not-module": lambda w: reverse("courses:module_complete", args=[w.course.pk])},
    ),
    "courses:enroll": Endpoint(
        user="ana", url=lambda w: reverse("courses:enroll", args=[w.course.pk]),
        urls={"missing-course": lambda w: reverse("courses:enroll", args=[987654]),
              "module-not-course": lambda w: reverse("courses:enroll", args=[w.modules[0].pk])},
    ),
    "courses:certificate_revoke": Endpoint(
        user="tomas", url=lambda w: reverse("courses:certificate_revoke", args=[w.certificate.code]),
        valid=lambda w: {"reason": "Issued by mistake"},
        fields={"reason": cat.bad_text(2000) + [("no-reason", "   ")]}, refusal="flash",
        urls={"missing-code": lambda w: reverse("courses:certificate_revoke", args=["NOPE-123"]),
              "script-code": lambda w: reverse("courses:certificate_revoke", args=["<script>"])},
    ),
    "courses:certificate_reinstate": Endpoint(
        user="tomas", url=lambda w: reverse("courses:certificate_reinstate", args=[w.certificate.code]),
        valid=lambda w: {"reason": "Revoked by mistake"},
        fields={"reason": cat.bad_text(2000) + [("no-reason", "   ")]}, refusal="flash",
        urls={"missing-code": lambda w: reverse("courses:certificate_reinstate", args=["NOPE-123"]),
              "script-code": lambda w: reverse("courses:certificate_reinstate", args=["<script>"])},
    ),
    "courses:certificate_renewal_open": Endpoint(
        user="tomas", url=lambda w: reverse("courses:certificate_renewal_open", args=[w.certificate.code]),
        valid=lambda w: {"reason": "Back on the visiting team"},
        fields={"reason": cat.bad_text(2000) + [("no-reason", "   ")]}, refusal="flash",
        urls={"missing-code": lambda w: reverse("courses:certificate_renewal_open", args=["NOPE-123"]),
              "script-code": lambda w: reverse("courses:certificate_renewal_open", args=["<script>"])},
    ),
    # The public badge check: anything but one pasted token shaped like a signed JWT is a form error; a
    # well-shaped token the Hub did not sign gets a verdict (200), and neither writes anything.
    "courses:credential_check": Endpoint(
        user=None, url=lambda w: reverse("courses:credential_check"),
        valid=lambda w: {"credential": "eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl"},
        fields={"credential": cat.oversized(64 * 1024) + cat.SQL + cat.SCRIPT + cat.UNICODE_TEXT + [
            ("empty", ""), ("spaces", "   "), ("dots-only", ".."), ("four-parts", "a.b.c.d"),
            ("json-object", '{"credential": 12}'), ("number", "12"),
            ("pem-key", "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----")]},
        inert=("credential",), breaker={"credential": "not a badge"},
    ),
    "courses:renewal_start": Endpoint(
        user="ana", url=lambda w: reverse("courses:renewal_start", args=[w.course.pk]), refusal="flash",
        urls={"missing-course": lambda w: reverse("courses:renewal_start", args=[987654]),
              "module-not-course": lambda w: reverse("courses:renewal_start", args=[w.modules[0].pk])},
    ),
    # -- sessions --------------------------------------------------------------------------------------------
    "training_sessions:series_new": Endpoint(
        user="tomas", url=lambda w: reverse("training_sessions:series_new"), valid=series_valid,
        fields={
            "kind": CHOICE, "title": cat.bad_text(200) + [("only-spaces", "   ")], "audience": CHOICE,
            "district": IDS, "capacity": NUMBER + [("1001", "1001")],
            "join_link": [("javascript-link", "javascript:alert(1)"), ("ftp-link", "ftp://example.org/x"),
                          ("over-link", "https://e.org/" + "x" * 300), ("script-link", '"><script>')],
            "repeat": CHOICE, "weekday": [("weekday-9", "9"), ("text-weekday", "monday")],
            "nth": [("nth-9", "9"), ("text-nth", "first")],
            "first_date": cat.WRONG_DATES, "last_date": cat.WRONG_DATES[:4] + [("before-first", "2000-01-01")],
            "start_time": cat.WRONG_TIMES, "duration_minutes": NUMBER + [("721", "721")],
            "facilitators": IDS, "scenarios": IDS,
        },
        inert=("title", "description"), breaker={"capacity": ""}, ok_status=(200,),
    ),
    "training_sessions:series_edit": Endpoint(
        user="tomas", url=lambda w: reverse("training_sessions:series_edit", args=[w.series.pk]),
        valid=series_valid,
        fields={"title": cat.bad_text(200), "capacity": NUMBER, "first_date": cat.WRONG_DATES[:3],
                "join_link": [("javascript-link", "javascript:alert(1)")]},
        inert=("title",), breaker={"capacity": ""}, ok_status=(200,),
        urls={"missing-series": lambda w: reverse("training_sessions:series_edit", args=[987654])},
    ),
    "training_sessions:move_occurrence": Endpoint(
        user="tomas", url=occ("move_occurrence"),
        valid=lambda w: {"new_date": "2026-12-24", "new_time": "18:00"},
        fields={"new_date": cat.WRONG_DATES, "new_time": cat.WRONG_TIMES}, refusal="flash",
        urls=occ_urls("move_occurrence"),
    ),
    "training_sessions:attendance": Endpoint(
        user="tomas", url=occ("attendance"), valid=lambda w: {},
        fields={"__attendance__": [("text-attendance", "maybe"), ("script-attendance", "<script>")]},
        refusal="flash", urls=occ_urls("attendance"),
    ),
    "training_sessions:observations": Endpoint(
        user="tomas", url=lambda w: reverse("training_sessions:observations", args=[w.practice.pk, w.practice_key]),
        valid=lambda w: {"participant": str(w.people["ana"].pk), "scenario": str(w.scenario.pk), "met": ["0"],
                         "note": "Warm opening.", "outcome": "ready"},
        fields={"participant": IDS + [("not-at-the-practice", "__jordan__")], "scenario": IDS,
                "outcome": CHOICE, "met": [("rubric-line-out-of-range", ["7"]), ("text-mark", ["first"])],
                "note": cat.bad_text(1000)},
        inert=("note",), breaker={"outcome": ""},
        urls={"not-a-practice": occ("observations"),
              "missing-series": lambda w: reverse("training_sessions:observations", args=[987654, w.practice_key])},
    ),
    "courses:coaches": Endpoint(
        user="tomas", url=lambda w: reverse("courses:coaches"), valid=lambda w: {"login": "ana"},
        fields={"login": cat.bad_text(254) + [("nobody", "no-such-person"), ("empty", ""),
                                              ("already-a-coach", "tomas")]},
    ),
    "courses:coach_take": Endpoint(
        user="tomas", url=lambda w: reverse("courses:coach_take", args=[w.people["ana"].pk]), refusal="flash",
        url_refusal="flash",
        urls={"missing-person": lambda w: reverse("courses:coach_take", args=[987654])},
    ),
    "training_sessions:register": Endpoint(user="ana", url=occ("register"), urls=occ_urls("register")),
    "training_sessions:unregister": Endpoint(user="ana", url=occ("unregister"), urls=occ_urls("unregister")),
    "training_sessions:occurrence_chat": Endpoint(user="ana", url=occ("occurrence_chat"),
                                                  urls=occ_urls("occurrence_chat")),
    "training_sessions:occurrence_cohort": Endpoint(user="ana", url=occ("occurrence_cohort"),
                                                    urls=occ_urls("occurrence_cohort")),
    "training_sessions:cancel_occurrence": Endpoint(user="tomas", url=occ("cancel_occurrence"),
                                                    urls=occ_urls("cancel_occurrence")),
    "training_sessions:occurrence_renewal": Endpoint(
        user="tomas", url=occ("occurrence_renewal"), valid=lambda w: {"required": "yes"},
        fields={"required": CHOICE + [("capitalised", "YES"), ("true", "true")]},
        refusal="flash", urls=occ_urls("occurrence_renewal")),
    # The world's recording is not of a session required for renewal, so every post is refused whole; the
    # make-up's own hostile positions and answers are in tests/sessions/test_makeup.py.
    "training_sessions:recording_progress": Endpoint(
        user="ana", url=lambda w: reverse("training_sessions:recording_progress", args=[_recording_id(w)]),
        valid=lambda w: {"position": "5"}, fields={"position": NUMBER}, refusal="status",
        urls={"missing-recording": lambda w: reverse("training_sessions:recording_progress", args=[987654]),
              "course-not-recording": lambda w: reverse("training_sessions:recording_progress",
                                                        args=[w.course.pk])}),
    "training_sessions:recording_reflection": Endpoint(
        user="ana", url=lambda w: reverse("training_sessions:recording_reflection", args=[_recording_id(w)]),
        valid=lambda w: {"reflection": "I will ask about the family's hopes first."},
        fields={"reflection": TEXT_1000}, refusal="status",
        urls={"missing-recording": lambda w: reverse("training_sessions:recording_reflection", args=[987654]),
              "course-not-recording": lambda w: reverse("training_sessions:recording_reflection",
                                                        args=[w.course.pk])}),
    # -- discussion ------------------------------------------------------------------------------------------
    "discussion:room": Endpoint(
        user="ana", url=lambda w: reverse("discussion:room", args=["district-hartford"]),
        valid=lambda w: {"body": "Hello", "client_id": "fresh-1"},
        fields={"body": cat.bad_text(2000) + [("only-spaces", "   ")],
                "client_id": [("empty-client-id", ""), ("spaces-client-id", "a b"), ("over-64", "c" * 65),
                              ("script-client-id", "<script>"), ("sql-client-id", "' OR 1=1 --")]},
        inert=("body",), breaker={"client_id": ""},
        urls={"other-districts-room": lambda w: reverse("discussion:room", args=["district-new-haven"]),
              "trainers-room": lambda w: reverse("discussion:room", args=["trainers"]),
              "missing-room": lambda w: reverse("discussion:room", args=["no-such-room"])},
    ),
    "discussion:message_edit": Endpoint(
        user="ana", url=lambda w: reverse("discussion:message_edit", args=["district-hartford", w.messages["ana"].pk]),
        valid=lambda w: {"body": "Edited"}, fields={"body": cat.bad_text(2000) + [("only-spaces", "  ")]},
        urls={"someone-elses-message": lambda w: reverse("discussion:message_edit",
                                                         args=["district-hartford", w.messages["marcus"].pk]),
              "message-of-other-room": lambda w: reverse("discussion:message_edit",
                                                         args=["district-hartford", w.messages["jordan"].pk]),
              "other-districts-room": lambda w: reverse("discussion:message_edit",
                                                        args=["district-new-haven", w.messages["jordan"].pk])},
        url_refusal="any",
    ),
    "discussion:message_delete": Endpoint(
        user="ana", url=lambda w: reverse("discussion:message_delete", args=["district-hartford", 987654]),
        urls={"someone-elses-message": lambda w: reverse("discussion:message_delete",
                                                         args=["district-hartford", w.messages["marcus"].pk]),
              "message-of-other-room": lambda w: reverse("discussion:message_delete",
                                                         args=["district-hartford", w.messages["jordan"].pk])},
        url_refusal="any",
    ),
    "discussion:message_hide": Endpoint(
        user="carla", url=lambda w: reverse("discussion:message_hide", args=["district-hartford", w.messages["ana"].pk]),
        valid=lambda w: {"reason": "Names a student"},
        fields={"reason": cat.bad_text(300) + [("no-reason", "  ")]}, refusal="flash",
        urls={"message-of-other-room": lambda w: reverse("discussion:message_hide",
                                                         args=["district-hartford", w.messages["jordan"].pk])},
        url_refusal="any",
    ),
    # -- accounts --------------------------------------------------------------------------------------------
    "login": Endpoint(
        user=None, url=lambda w: reverse("login"), valid=lambda w: {"username": "throwaway", "password": "x"},
        fields={"username": cat.oversized(150) + cat.SQL + cat.SCRIPT[:1] + [("nul-username", "ana\x00")],
                "password": cat.SQL + [("1mb", "p" * cat.MB)]},
        ok_status=(200,), expect=_failed_sign_in,
    ),
    "password_reset": Endpoint(
        user=None, url=lambda w: reverse("password_reset"), valid=lambda w: {"email": "ana@example.org"},
        fields={"email": cat.oversized(254) + cat.SQL + cat.SCRIPT[:1] + [("empty", "")]}, ok_status=(200,),
    ),
    "password_change": Endpoint(
        user="ana", url=lambda w: reverse("password_change"),
        valid=lambda w: {"old_password": "a-long-test-password", "new_password1": "another-long-pass-9",
                         "new_password2": "another-long-pass-9"},
        fields={"old_password": cat.SQL + [("1mb", "p" * cat.MB)],
                "new_password2": [("mismatch", "not-the-same-9"), ("empty", "")]},
        ok_status=(200,),
    ),
}


# Views of our apps that take no hostile input worth a table entry, with the reason.
REVIEWED_NO_INPUT = {
    "membership:people": "GET only: the coordinator's own district's visitors (tests/membership)",
    "membership:moves_incoming": "GET only: moves to the coordinator's own district (tests/membership)",
    "hub:profile": "GET only: shows the signed-in person",
    "hub:sign_out_everywhere": "POST without fields: ends the person's own sessions (tests/hub/test_views.py)",
    "hub:districts": "GET only, no parameters",
    "hub:health": "GET only, no database",
    "hub_media": "GET by path (SERVE_MEDIA only): other folders, ../ and bad Range headers in "
                 "tests/hub/test_media_serve.py",
    "discussion:rooms": "GET only, no parameters",
    "privacy:requests": "GET; hostile page= in test_get_queries",
    "outbox:list": "GET; hostile state= and page= in test_get_queries",
    "scheduled:list": "GET only, no parameters (tests/schedule/test_views.py)",
    "jobs:list": "GET only, no parameters: the person's own jobs",
    "jobs:detail": "GET by <int> id, the owner's only: others' and missing are 404 (tests/jobs/test_views.py)",
    "jobs:status": "GET by <int> id, the owner's only: others' and missing are 404 (tests/jobs/test_views.py)",
    "jobs:download": "GET by <int> id, the owner's only: others' and missing are 404 (tests/jobs/test_views.py)",
    "outbox:send_again": "POST without fields; a message not failed, out of scope or missing, and readers "
                         "without the role: tests/outbox/test_views.py",
    "courses:my_training": "GET only, no parameters",
    "courses:certificate_list": "GET; hostile q= in test_get_queries",
    "courses:analytics": "GET; hostile course= in test_get_queries (tests/courses/test_analytics.py)",
    "courses:analytics_csv": "GET by <int> course id: an unknown course is a 404, readers without the role "
                             "403 (tests/courses/test_analytics.py)",
    "training_sessions:upcoming": "GET; hostile from= and kind= in test_get_queries",
    "courses:certificate_pdf": "GET by code: an unknown code is a 404 (test_replay covers other people's codes)",
    "courses:certificate_verify": "GET by code, public: unknown codes are 404 (test_get_queries)",
    "courses:certificate_badge": "GET by code: someone else's is a 404, a revoked one is refused "
                                 "(tests/courses/test_badges.py)",
    "badges:issuer": "GET only, public, no parameters: the issuer profile",
    "badges:jwks": "GET only, public, no parameters: the published keys",
    "badges:achievement": "GET by course code: an unknown code is a 404 (tests/courses/test_badges.py)",
    "badges:status_list": "GET by <int> number: a list not in use is a 404 (tests/courses/test_badges.py)",
    "training_sessions:month": "GET only; covered with hostile kind= in test_get_queries",
    "training_sessions:month_of": "GET; year/month are <int> in the URL, out of range is 404 (test_get_queries)",
    "training_sessions:mine": "GET only, no parameters",
    "training_sessions:feed_regenerate": "POST without fields; the replayed old token is in test_replay",
    "training_sessions:personal_feed": "GET by token: test_replay (an old token after regenerating)",
    "training_sessions:manage": "GET only, no parameters",
    "training_sessions:series": "GET by <int> id: missing is 404",
    "training_sessions:series_feed": "GET by <int> id: missing is 404",
    "training_sessions:occurrence": "GET; hostile keys are covered on the POST views of the same URL",
    "training_sessions:occurrence_ics": "GET; same URL parsing as the occurrence POST views",
    "training_sessions:recording_upload": "uploads: test_uploads",
    "coordinators:roster": "GET; hostile filters in test_get_queries",
    "coordinators:roster_export": "CSV; hostile filters in test_get_queries, neutralised cells in test_uploads; "
                                  "over JOB_EXPORT_DIRECT_ROWS a POST without fields starts a job (tests/jobs)",
    "coordinators:roster_person": "GET by <int> id (scope-checked, audited): test_get_queries",
    "coordinators:case_list": "GET; hostile filters in test_get_queries",
    "coordinators:case_export": "CSV; test_get_queries and test_uploads (formula cells neutralised); over "
                                "JOB_EXPORT_DIRECT_ROWS a POST without fields starts a job (tests/jobs)",
    "coordinators:case_import": "uploads: test_uploads (a file refused whole is a 400 at once; rows as a job)",
    "coordinators:attendance_import": "uploads: test_uploads (rows imported as a job)",
    "coordinators:case_detail": "GET by <int> id: other district's case in test_get_queries",
    "coordinators:my_cases": "GET only, no parameters",
    "coordinators:dashboard": "GET; hostile district= in test_get_queries",
    "coordinators:impact": "GET; hostile scope=, from=, to=, breakdown= in test_get_queries; other districts in "
                           "tests/coordinators/test_impact",
    "coordinators:impact_export": "CSV of aggregates (no names); the page's parameters in test_get_queries",
    "coordinators:audit": "GET; hostile page= in test_get_queries",
    "coordinators:need_index": "GET; hostile scope=, year= and weights in test_get_queries; other regions and "
                               "roles in tests/coordinators/test_need_index",
    "coordinators:need_export": "CSV of district figures (no people); the page's parameters in test_get_queries",
    "coordinators:need_template": "CSV download, no parameters: the districts' codes and names",
    "coordinators:need_example": "CSV download, no parameters: the demo district file",
    "coordinators:fidelity": "GET; hostile scope=, from=, to= in test_get_queries; other districts in "
                             "tests/coordinators/test_fidelity",
    "coordinators:fidelity_export": "CSV of aggregates (no names); the page's parameters in test_get_queries",
    "coordinators:board_home": "GET only: redirects to the person's board",
    "coordinators:waiting": "GET; hostile district=, school=, band=, family=, page= in test_get_queries; other "
                            "districts and schools in tests/coordinators/test_waiting (its POST: waiting_assign)",
    "roundtable:upcoming": "GET only, no parameters",
    "roundtable:private": "GET by token: unknown and replayed tokens in test_replay",
    "roundtable:cancel": "POST by token, no fields: replayed and unknown tokens in test_replay",
    "roundtable:organise": "GET only, no parameters",
    "roundtable:organise_detail": "GET by <int> id: missing is 404",
    "roundtable:export_csv": "CSV: formula cells, hidden-direction names in test_exports (and test_uploads)",
    "roundtable:insight_edit": "texts naming families, bad fields, non-organisers, wrong addresses: test_insights",
    "roundtable:insight_delete": "non-organisers and wrong addresses (GET and POST): test_insights",
    "roundtable:insights": "GET only, no parameters",
    "joining:invitations": "GET only, no parameters (scoped by district: tests/joining/test_list.py)",
    "joining:learners": "GET only, no parameters (trainers and state staff: tests/joining/test_learners.py)",
    "joining:learner_waiting": "GET only, no parameters (the address it shows comes from the session)",
    "joining:import": "uploads: test_uploads (staff lists)",
    "logout": "POST without fields: signs the session out",
    "password_change_done": "GET only",
    "password_reset_done": "GET only",
    "password_reset_confirm": "used, forged and other users' links in test_replay",
    "password_reset_complete": "GET only",
    "set_language": "language/next: test_get_queries (an off-site or javascript: next is not followed)",
    "twofactor:verify": "codes: test_two_step",
    "twofactor:setup": "codes: test_two_step",
    "twofactor:backup_codes": "codes: test_two_step",
    "twofactor:turn_off": "codes: test_two_step",
    "wagtail_serve": "course and module pages: their POSTs (checks, reflections, completion) are the courses:* "
                     "entries; a junk POST to a page in test_get_queries",
    "wagtailcore_login": "Wagtail's page-privacy sign-in form: test_get_queries (sign-in forms)",
    "wagtailcore_authenticate_with_password": "page passwords: no page in the Hub has one (third-party)",
}
