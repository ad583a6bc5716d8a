"""The table of create endpoints: each POST of our apps that adds a row, how it knows a resend, and whose
row it is. `test_double_submit` replays each one; `test_every_post_endpoint_is_classified` fails, naming
it, when an endpoint of `endpoints.ENDPOINTS` is in neither `CREATES` nor `NOT_A_CREATE`.

How a resend is recognised (`token`):
- "form_token": the one-time token `hub.idempotency.FormTokenMixin` draws into the form;
- "client_id": the discussion's id, drawn into the no-JS form with the page;
- None: a natural key (one registration per person and date, one active offer per visitor and case).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import reverse

from tests.hostile.endpoints import copy_valid, roundtable_valid, series_valid, signup_valid, visit_valid


@dataclass
class Create:
    model: str  # "app_label.Model" of the row the endpoint adds
    user: str  # a world person, or "family:<name>" for an anonymous browser
    other: str  # a second person (or browser) who may use the same form
    action: Callable  # (w, who) -> the URL the form posts to
    data: Callable  # (w, who, n) -> a valid payload; n tells apart rows from freshly drawn forms
    owner: Callable  # (w, who, n) -> the filter that a row made by `who` with payload n matches
    page: Callable | None = None  # (w, who) -> the page that draws the form (None: nothing to draw)
    token: str | None = "form_token"
    lands_on_row: bool = True  # the redirect names the row (so other people's rows would show in it)
    fresh_rows: int | None = None  # rows two freshly drawn forms add, if not 2 with a token and 1 without
    # Where a double submit still misbehaves, outside this branch's reach: test ("replay", "fresh") -> why.
    # Those tests are strict xfails, so the table must change the day the endpoint is fixed.
    known_defects: dict = field(default_factory=dict)


def _person(w, who):
    return w.people[who]


def _second_date(w):
    """A date of the world's weekly series nobody is registered for (ana holds a seat on the first)."""
    from sessions.selectors import parse_occurrence_key

    return parse_occurrence_key(w.occurrence_key) + timedelta(weeks=1)


def _second_date_key(w):
    from sessions.selectors import occurrence_key

    return occurrence_key(_second_date(w))


def _case_for(w, who):
    return w.nh_case if who == "dwayne" else w.board_case


def _case_data(w, who, n):
    from hub.models import School

    district = w.new_haven if who == "dwayne" else w.hartford
    school = School.objects.filter(district=district).order_by("pk").first()
    return {"student_ref": f"{who[:2].upper()}-9{n}", "first_name": "Rosa", "last_initial": "M", "grade": "3",
            "school": str(school.pk), "home_language": "Spanish", "days_enrolled": "60", "days_absent": "9",
            "referral_reason": "Absent"}


def _copy_after(n):
    """Copies made with payload n start on day 21 + n: after the end of day 20 + n."""
    from datetime import datetime, time

    from django.utils import timezone

    from hub.program import PROGRAM_TZ

    return datetime.combine(timezone.localdate() + timedelta(days=20 + n), time(23, 59), tzinfo=PROGRAM_TZ)


def _family_email(who, n):
    return f"{who.split(':')[1]}-{n}@example.org"


CREATES: dict[str, Create] = {
    "joining:invite": Create(
        model="joining.Invitation", user="carla", other="dwayne",
        page=lambda w, who: reverse("joining:invite"), action=lambda w, who: reverse("joining:invite"),
        data=lambda w, who, n: {"name": f"Invitee {n}", "email": f"{who}-invitee-{n}@example.org", "role": "Visitor",
                                "district": str((w.new_haven if who == "dwayne" else w.hartford).pk),
                                "organisation": "", "language": "en"},
        owner=lambda w, who, n: {"invited_by": w.user(who), "email": f"{who}-invitee-{n}@example.org"},
        lands_on_row=False,  # both land on their own invitation list
    ),
    "coordinators:visit_new": Create(
        model="coordinators.Visit", user="marcus", other="luis",
        page=lambda w, who: reverse("coordinators:visit_new", args=[w.case.pk]),
        action=lambda w, who: reverse("coordinators:visit_new", args=[w.case.pk]),
        data=lambda w, who, n: dict(visit_valid(w), attendees=[str(w.people[who].pk)], notes=f"Visit {n}"),
        owner=lambda w, who, n: {"logged_by": w.user(who), "notes": f"Visit {n}"},
        lands_on_row=False,  # both visitors land on the case page, where each sees the case's visits
    ),
    "coordinators:case_new": Create(
        model="coordinators.StudentCase", user="carla", other="dwayne",
        page=lambda w, who: reverse("coordinators:case_new"), action=lambda w, who: reverse("coordinators:case_new"),
        data=_case_data, owner=lambda w, who, n: {"created_by": w.user(who), "student_ref": _case_data(w, who, n)
                                                  ["student_ref"]},
    ),
    "coordinators:case_choice": Create(
        model="coordinators.CaseEvent", user="carla", other="dwayne",
        page=lambda w, who: reverse("coordinators:case_detail", args=[_case_for(w, who).pk]),
        action=lambda w, who: reverse("coordinators:case_choice", args=[_case_for(w, who).pk]),
        data=lambda w, who, n: {"kind": "offered", "note": f"Called, {n}"},
        owner=lambda w, who, n: {"by": w.user(who), "note": f"Called, {n}"},
    ),
    "training_sessions:series_new": Create(
        model="training_sessions.Series", user="tomas", other="samira",
        page=lambda w, who: reverse("training_sessions:series_new"),
        action=lambda w, who: reverse("training_sessions:series_new"),
        data=lambda w, who, n: dict(series_valid(w), title=f"Series {who} {n}"),
        owner=lambda w, who, n: {"created_by": w.user(who), "event__title": f"Series {who} {n}"},
    ),
    "training_sessions:observations": Create(
        model="courses.Observation", user="tomas", other="samira",
        page=lambda w, who: (reverse("training_sessions:observations", args=[w.practice.pk, w.practice_key])
                             + f"?participant={w.people['ana'].pk}&scenario={w.scenario.pk}"),
        action=lambda w, who: reverse("training_sessions:observations", args=[w.practice.pk, w.practice_key]),
        data=lambda w, who, n: {"participant": str(w.people["ana"].pk), "scenario": str(w.scenario.pk), "met": ["1"],
                                "note": f"Note {who} {n}", "outcome": "practise_again"},
        owner=lambda w, who, n: {"coach": w.people[who], "note": f"Note {who} {n}"},
        lands_on_row=False,
    ),
    "roundtable:roundtable_new": Create(
        model="roundtable.Roundtable", user="tomas", other="samira",
        page=lambda w, who: reverse("roundtable:roundtable_new"),
        action=lambda w, who: reverse("roundtable:roundtable_new"),
        data=lambda w, who, n: dict(roundtable_valid(w), title_en=f"Roundtable {who} {n}"),
        owner=lambda w, who, n: {"created_by": w.user(who), "title_en": f"Roundtable {who} {n}"},
    ),
    "roundtable:roundtable_copy": Create(
        model="roundtable.Roundtable", user="tomas", other="samira",
        page=lambda w, who: reverse("roundtable:roundtable_copy", args=[w.roundtable.pk]),
        action=lambda w, who: reverse("roundtable:roundtable_copy", args=[w.roundtable.pk]),
        data=lambda w, who, n: copy_valid(w, days=21 + n),
        owner=lambda w, who, n: {"created_by": w.user(who), "is_draft": True, "starts_at__gt": _copy_after(n)},
    ),
    "roundtable:signup": Create(
        model="roundtable.FamilySignup", user="family:a", other="family:b",
        page=lambda w, who: reverse("roundtable:signup", args=[w.roundtable.pk]),
        action=lambda w, who: reverse("roundtable:signup", args=[w.roundtable.pk]),
        data=lambda w, who, n: dict(signup_valid(w), email=_family_email(who, n)),
        owner=lambda w, who, n: {"email": _family_email(who, n)},
    ),
    "discussion:room": Create(
        model="discussion.Message", user="ana", other="marcus", token="client_id",
        page=lambda w, who: reverse("discussion:room", args=["district-hartford"]),
        action=lambda w, who: reverse("discussion:room", args=["district-hartford"]),
        data=lambda w, who, n: {"body": f"Hello from {who}, {n}"},
        owner=lambda w, who, n: {"author": w.user(who), "body": f"Hello from {who}, {n}"},
    ),
    "training_sessions:register": Create(
        model="training_sessions.Registration", user="ana", other="marcus", token=None,
        action=lambda w, who: reverse("training_sessions:register", args=[w.series.pk, _second_date_key(w)]),
        data=lambda w, who, n: {}, lands_on_row=False,
        owner=lambda w, who, n: {"person": _person(w, who), "occurrence__original_start": _second_date(w)},
    ),
    "coordinators:board": Create(
        model="coordinators.Volunteer", user="marcus", other="luis", token=None,
        action=lambda w, who: reverse("coordinators:board", args=[w.hartford.pk]),
        data=lambda w, who, n: {"action": "volunteer", "case": str(w.board_case.pk), "partner": ""},
        owner=lambda w, who, n: {"visitor": _person(w, who)}, lands_on_row=False,
    ),
    # A freshly drawn form on an assigned case is a reassignment (the page draws it so): the next row.
    # (token=None: no one else assigns in Hartford, so there is no "someone else's token" to try.)
    "coordinators:case_assign": Create(
        model="coordinators.Assignment", user="carla", other="carla", token=None, fresh_rows=2,
        page=lambda w, who: reverse("coordinators:case_detail", args=[w.board_case.pk]),
        action=lambda w, who: reverse("coordinators:case_assign", args=[w.board_case.pk]),
        data=lambda w, who, n: {"visitor_1": str(w.people["marcus"].pk), "visitor_2": str(w.people["luis"].pk)},
        owner=lambda w, who, n: {"assigned_by": w.user(who), "case": w.board_case, "form_token__isnull": False},
    ),
    # (token=None: the world's own attempts look like one made without a token, so the bad-token cases
    # could not tell the rows apart; hub.idempotency.posted_token reads it as every form does.)
    "courses:check_submit": Create(
        model="courses.KnowledgeCheckAttempt", user="ana", other="marcus", token=None, fresh_rows=2,
        page=lambda w, who: w.modules[0].url,
        action=lambda w, who: reverse("courses:check_submit", args=[w.modules[0].pk, w.check_id]),
        data=lambda w, who, n: {"q0": "0", "q1": "1"}, lands_on_row=False,  # both land on the module page
        owner=lambda w, who, n: {"person": _person(w, who), "form_token__isnull": False},
    ),
}

# Endpoints of `endpoints.ENDPOINTS` that add no row of their own, and why a second send is harmless.
NOT_A_CREATE = {
    "coordinators:need_upload": "upserts the district figures by (district, school year), all or nothing: the same "
                                "file again changes nothing (tests/coordinators/test_need_index.py)",
    "courses:coaches": "gives a role (a group membership, audited), no row of its own: a second send is refused "
                       "as a coach already (tests/courses/test_observations.py)",
    "courses:coach_take": "takes the role away once: a second send finds the person no longer a coach",
    "joining:learner_signup": "one request per address (a constraint) and a one-time form token: the same form "
                              "again returns the first request and sends no second email; a fresh form for the "
                              "same address makes nothing new (tests/joining/test_learners.py, test_learner_race.py)",
    "joining:learner_approve": "decides a request once under a row lock: the same answer again is the first one's, "
                               "another is refused naming who decided (tests/joining/test_learner_race.py)",
    "joining:learner_refuse": "decides a request once under a row lock, as approving does",
    "joining:sso_start": "adds no row: it redirects to the provider with a new state (allauth keeps it in the "
                         "session); the account comes from the invitation's accept service",
    "membership:leave": "one departure per person: the same form token returns the first (create_once); a "
                        "fresh form is refused as done already (tests/membership/test_account_life.py)",
    "membership:move": "one pending move per person (a constraint): the same token returns it; a fresh form is "
                       "refused as moving already (tests/membership)",
    "membership:deactivate": "one departure per person: the same token returns it; a fresh form is refused as "
                             "deactivated already (tests/membership)",
    "membership:move_decide": "decides a move once: the same answer again is the first one's; another is refused",
    "membership:move_withdraw": "withdraws a move once: a second send finds it withdrawn",
    "joining:resend": "sends the link again with a new token: each send is a new email on purpose (counted)",
    "joining:withdraw": "withdraws an invitation: a second send is told it was withdrawn already",
    "joining:accept": "uses the link once: a second send finds the invitation accepted (410), one account",
    "roundtable:insight_add": "adds an insight: its double-submit safety is part of the insights work",
    "roundtable:check_in": "sets the sign-up's check-in time: sending it again sets the same",
    "roundtable:roundtable_edit": "changes a roundtable: the same edit again is the same state",
    "roundtable:roundtable_cancel": "cancels a roundtable: a second send is refused as already cancelled",
    "coordinators:waiting_assign": "adds coordinators:case_assign's Assignment through the same code "
                                   "(views.assign_posted, services.case_assign's form token), replayed above as "
                                   "case_assign; the list draws no form for an assigned case, so a fresh form is "
                                   "the case page's reassignment (tests/coordinators/test_waiting: the same form "
                                   "sent twice assigns once)",
    "coordinators:visit_edit": "changes a visit: the same edit again writes no second revision",
    "coordinators:referral_outcome": "sets an outcome: the same value again changes nothing",
    "coordinators:fidelity_targets": "sets the state's one row of targets: the same values again change nothing",
    "courses:reflection_submit": "one reflection per person and block (update_or_create)",
    "courses:module_complete": "one completion per person and module (update_or_create)",
    "courses:enroll": "one enrolment per person and course (get_or_create)",
    "courses:certificate_revoke": "revokes a certificate: a second send is refused as already revoked",
    "courses:certificate_reinstate": "reinstates a revoked certificate: a second send is refused as not revoked",
    "courses:certificate_renewal_open": "opens one renewal per person and course: a second send returns it",
    "courses:credential_check": "checks a pasted or uploaded badge: writes nothing",
    "courses:renewal_start": "starts one renewal per person and course: a second send finds it open",
    "training_sessions:series_edit": "changes a series: the same edit again is the same state",
    "training_sessions:move_occurrence": "moves one date: the same move again is the same state",
    "training_sessions:attendance": "one attendance per registration (updated in place)",
    "training_sessions:unregister": "cancels a registration: a second send is told it is not registered",
    "training_sessions:occurrence_chat": "opens the session's room, created once (unique per session)",
    "training_sessions:occurrence_cohort": "opens the training's cohort room, created once (unique per training)",
    "training_sessions:occurrence_renewal": "sets one flag on one date: the same send again finds it set and "
                                            "changes nothing (tests/sessions/test_makeup.py)",
    "training_sessions:recording_progress": "updates the one watch row per person and recording: a resent position "
                                            "adds no time played (tests/sessions/test_makeup.py)",
    "training_sessions:recording_reflection": "saves the answer on the one watch row per person and recording; the "
                                              "credit is once per person and session (a constraint)",
    "training_sessions:cancel_occurrence": "cancels one date: a second send is told it is already cancelled",
    "discussion:message_edit": "changes a message: the same text again is the same state",
    "discussion:message_delete": "marks a message deleted: again is the same state",
    "discussion:message_hide": "hides a message: again is the same state",
    "scheduled:run_now": "queues a job's run: while one is queued or running a second send queues nothing (a "
                         "warning), and two in one minute share the unique (job, time) key (tests/schedule)",
    "login": "signs in: no row of ours (django-axes counts failures on purpose)",
    "password_reset": "sends a reset e-mail: no row",
    "password_change": "changes the password: the same change again is refused (old password wrong)",
}
