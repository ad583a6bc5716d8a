"""export_person_data and erase_person_data: what a person, a family or a student gets, what erasure
removes and keeps, refusals, bad arguments, and the privacy audit (privacy.PrivacyRequest)."""

import json
from datetime import time, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.utils import timezone

from coordinators import selectors as case_selectors
from coordinators import services as case_services
from coordinators.models import StudentCase
from courses import services as course_services
from courses.models import ModulePage, Reflection, Scenario
from hub.audit.models import AuditEntry
from hub.audit.services import audit_record
from hub.discussion import formatting as discussion_formatting
from hub.discussion import services as discussion
from hub.discussion.models import Message, Room
from hub.models import Person, School
from hub.privacy.models import PrivacyRequest
from hub.roles import COORDINATOR, TRAINER, VISITOR
from roundtable import selectors as rt_selectors
from roundtable import services as rt_services
from roundtable.models import FamilySignup, Format
from sessions import selectors as session_selectors
from sessions import services as session_services
from sessions.models import Attendance, CalendarFeed, Kind, Registration, Repeat
from tests.coordinators.conftest import certify, make_case
from tests.courses.conftest import build_course

pytestmark = pytest.mark.django_db
OPERATOR = "Jo Lee, privacy officer, ticket 42"


def reflection_block_id(module):
    return next(block.id for block in module.body if block.block_type == "reflection")


@pytest.fixture
def world(orgs, home_page, make_person):
    """Ana (the visitor asking) and Marcus (someone else) with training, a session, attendance and
    messages; a trainer, a coordinator and a Hartford case."""
    scenario = Scenario.objects.create(
        slug="kitchen-table", title="A first visit", stage="first_visit", setting="Kitchen.",
        family_situation="A grandmother.", role_visitor_a="Lead.", role_visitor_b="Listen.", role_parent="Wary.",
        role_student="Not present.", opening="Thank her.", coach_prompts="Pause.", debrief_questions="What?")
    hartford = orgs["Hartford"]
    school = School.objects.get(name="Burns Latino Studies Academy")
    ana = make_person("ana", roles=[VISITOR], first_name="Ana", last_name="Ruiz", school=school)
    marcus = make_person("marcus", roles=[VISITOR], first_name="Marcus", last_name="Bell", school=school)
    trainer = make_person("tomas", roles=[TRAINER], first_name="Tomás", last_name="Rivera")
    coordinator = make_person("carla", roles=[COORDINATOR], first_name="Carla", last_name="Mendes",
                              home_district=hartford)
    course = build_course(home_page, scenario, modules=2)
    module = ModulePage.objects.child_of(course).live().order_by("path").first()
    course_services.enrollment_start(person=ana, course=course)
    course_services.reflection_save(person=ana, module_id=module.pk, block_id=reflection_block_id(module),
                                    text="I will ask about her daughter's favourite teacher.")
    course_services.enrollment_start(person=marcus, course=course)
    course_services.reflection_save(person=marcus, module_id=module.pk, block_id=reflection_block_id(module),
                                    text="Marcus's private thought about grandmothers.")
    first = timezone.localdate() + timedelta(days=1)
    series = session_services.series_create(
        by=trainer.user, kind=Kind.CONNECTION, title="Connection Session", capacity=5, first_date=first,
        start_time=time(18, 0), duration_minutes=60, repeat=Repeat.ONCE, weekday=None,
        last_date=None, audience="all", join_link="https://meet.example.org/c")
    start = series.event.start
    ana_seat = session_services.registration_create(series=series, start=start, person=ana)
    marcus_seat = session_services.registration_create(series=series, start=start, person=marcus)
    for seat in (ana_seat, marcus_seat):
        session_services.attendance_mark(registration=seat, present=True, by=trainer.user,
                                         now=start + timedelta(minutes=10))
    session_services.calendar_feed_ensure(person=ana)
    discussion.rooms_ensure()
    room = Room.objects.get(slug="district-hartford")
    discussion.message_post(room=room, author=ana.user, body="Hello from Ana: the bus helped.", client_id="a-1")
    discussion.message_post(room=room, author=marcus.user, body="Marcus says hi to @ana", client_id="m-1")
    case_services.barriers_ensure()
    case = make_case(hartford, school, coordinator, ref="HF-1001", first="Jaylen")
    return dict(ana=ana, marcus=marcus, trainer=trainer, coordinator=coordinator, series=series,
                occurrence=ana_seat.occurrence, case=case, room=room, course=course)


def run(command, *args, **kwargs):
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO(), **kwargs)
    return out.getvalue()


def exported(tmp_path, **subject):
    folder = tmp_path / f"export{len(list(tmp_path.glob('export*')))}"
    folder.mkdir()
    out = run("export_person_data", operator=OPERATOR, output=str(folder), **subject)
    (json_file,) = folder.glob("*.json")
    (html_file,) = folder.glob("*.html")
    return out, json.loads(json_file.read_text()), html_file.read_text()


def rows_of(data, title):
    return [row for section in data["sections"] if section["title"] == title for row in section["rows"]]


# -- export --------------------------------------------------------------------------------------------------

def test_a_visitors_export_has_her_training_sessions_and_messages_and_nothing_of_anyone_else(world, tmp_path):
    out, data, html = exported(tmp_path, username="ana")
    assert "Exported" in out and "person-export-" in out
    assert rows_of(data, "Your account")[0]["Email"] == "ana@example.org"
    assert rows_of(data, "Your profile")[0]["School"] == "Burns Latino Studies Academy"
    assert [r["Reflection"] for r in rows_of(data, "Your reflections")] == [
        "I will ask about her daughter's favourite teacher."]
    sessions = rows_of(data, "Sessions you signed up for")
    assert [(r["Session"], r["Status"]) for r in sessions] == [("Connection Session", "confirmed")]
    assert rows_of(data, "Attendance")[0]["Attended"] == "yes"
    assert [r["Text"] for r in rows_of(data, "Discussion messages you wrote")] == ["Hello from Ana: the bus helped."]
    assert rows_of(data, "Mentions of you")  # Marcus mentioned her: that he did, not what he wrote
    everything = json.dumps(data) + html
    for other in ("Marcus", "grandmothers", "marcus@example.org", "Marcus says hi"):
        assert other not in everything
    # The human-readable twin: headed sections, labelled tables, escaped text.
    assert "<h2" in html and "Your reflections" in html and "favourite teacher" in html
    assert "daughter&#x27;s" in html and "<script" not in html
    assert '<th scope="col">Reflection</th>' in html
    request = PrivacyRequest.objects.get()
    assert (request.kind, request.subject_kind, request.outcome, request.operator) == (
        "export", "person", "done", OPERATOR)
    assert request.counts["courses.Reflection"] == 1 and "ana" not in request.subject_ref


def assign_ana_and_marcus(world):
    for person in (world["ana"], world["marcus"]):
        certify(person, world["course"])
    case_services.case_assign(case=world["case"], visitors=[world["ana"], world["marcus"]],
                              by=world["coordinator"].user)


def test_a_visitors_export_shows_her_cases_only_as_she_sees_them(world, tmp_path):
    assign_ana_and_marcus(world)
    _, data, _ = exported(tmp_path, username="ana")
    (row,) = rows_of(data, "Cases you were assigned")
    assert row["Student"] == "Jaylen R." and row["Grade"] == "3"
    assert "HF-1001" not in json.dumps(data)  # the student id is the district's, not hers to see


def test_a_family_export_by_email_or_phone_lists_its_sign_ups(world, tmp_path, make_roundtable_for):
    rt = make_roundtable_for(world)
    rt_services.signup_create(roundtable=rt, name="María López", email="Maria@Example.org", phone="(860) 555-0142",
                              children_count=2, accessibility_needs="Wheelchair access", consent=True)
    rt_services.signup_create(roundtable=rt, name="Other Family", email="other@example.org", consent=True)
    _, by_email, html = exported(tmp_path, email="MARIA@example.org ")
    (row,) = rows_of(by_email, "Family Roundtable sign-ups")
    assert (row["Name"], row["Phone"], row["Access needs"], row["Children coming"]) == (
        "María López", "8605550142", "Wheelchair access", 2)
    assert "Other Family" not in json.dumps(by_email) + html
    _, by_phone, _ = exported(tmp_path, phone="+1 860.555.0142")
    assert rows_of(by_phone, "Family Roundtable sign-ups")[0]["Email"] == "maria@example.org"
    assert PrivacyRequest.objects.filter(kind="export", subject_kind="family").count() == 2


def test_a_students_export_has_the_case_visits_and_who_read_it(world, tmp_path):
    case = world["case"]
    audit_record(actor=world["coordinator"].user, action="case.view", obj=case)
    _, data, _ = exported(tmp_path, student=str(case.pk))
    (row,) = rows_of(data, "The student's case")
    assert (row["Student id"], row["First name"], row["Grade"]) == ("HF-1001", "Jaylen", "3")
    assert {"Carla Mendes"} == {r["Who"] for r in rows_of(data, "Who read or changed the record")}
    assert PrivacyRequest.objects.get().subject_kind == "student"


# -- erase ------------------------------------------------------------------------------------------------------

def figures(world):
    occ = world["occurrence"]
    rt = world.get("roundtable")
    board = case_selectors.dashboard(user=world["coordinator"].user)
    return {
        "registrants": len(session_selectors.registrants(occurrence=occ)),
        "attended": Attendance.objects.filter(registration__occurrence=occ, present=True).count(),
        "messages": Message.objects.filter(room=world["room"]).count(),
        "people": Person.objects.count(),
        "dashboard": (board.visitors.value, board.certified.value,
                      [(b.label, b.cell.value) for b in board.cases_by_status]),
        "roundtable": (rt_selectors.roundtable_public(pk=rt.pk).confirmed,
                       rt_selectors.needs_summary(roundtable=rt)) if rt else None,
    }


def test_erase_without_confirm_lists_what_would_go_and_changes_nothing(world):
    before = figures(world)
    out = run("erase_person_data", username="ana", operator=OPERATOR)
    assert "Dry run: nothing was changed" in out
    assert "courses.Reflection (Your reflections): 1 row(s) — delete" in out
    assert "auth.User (Your account): 1 row(s)" in out
    user = get_user_model().objects.get(username="ana")
    assert user.is_active and user.email == "ana@example.org" and Reflection.objects.count() == 2
    assert figures(world) == before
    request = PrivacyRequest.objects.get()
    assert (request.kind, request.outcome) == ("erase", "dry_run") and request.counts["courses.Reflection"] == 1


def test_erase_with_confirm_removes_her_and_keeps_every_count(world):
    before = figures(world)
    ana_id = world["ana"].user.pk
    signed_in = authenticate(RequestFactory().post("/accounts/login/"), username="ana",
                             password="a-long-test-password")
    assert signed_in is not None and signed_in.pk == ana_id
    out = run("erase_person_data", username="ana", operator=OPERATOR, confirm=True)
    assert "Erased account ana" in out and "courses.Reflection: 1 row(s) changed" in out
    user = get_user_model().objects.get(pk=ana_id)
    assert (user.username.startswith("removed-"), user.first_name, user.last_name, user.email, user.is_active) == (
        True, "(removed)", "", "", False)
    assert not user.has_usable_password()
    for username in ("ana", user.username):
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password="a-long-test-password") is None
    assert list(Reflection.objects.values_list("person__user__username", flat=True)) == ["marcus"]
    message = Message.objects.get(client_id="a-1")
    assert message.body == "" and message.deleted_at is not None
    assert discussion_formatting.message_data(message)["author"]["name"] == "(removed)"
    assert Message.objects.get(client_id="m-1").body == "Marcus says hi to @ana"  # others' words stay
    assert not CalendarFeed.objects.filter(person=world["ana"]).exists()
    assert Registration.objects.filter(person=world["ana"]).count() == 1
    assert figures(world) == before
    request = PrivacyRequest.objects.get()
    assert (request.outcome, request.operator) == ("done", OPERATOR)
    assert request.counts["auth.User"] == 1 and request.counts["courses.Reflection"] == 1
    assert "ana" not in json.dumps(request.counts) + request.subject_ref + request.detail
    # A second export finds the account under its new name only, and nothing of her.
    with pytest.raises(CommandError, match="No account has the user name 'ana'"):
        run("export_person_data", username="ana", operator=OPERATOR)


def test_the_signed_in_browser_of_an_erased_person_is_signed_out(world, client):
    client.force_login(world["ana"].user)
    assert client.get("/training/").status_code == 200
    run("erase_person_data", username="ana", operator=OPERATOR, confirm=True)
    response = client.get("/training/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_erasure_waits_while_the_visitor_has_an_open_case(world):
    assign_ana_and_marcus(world)
    with pytest.raises(CommandError, match=rf"open case\(s\) {world['case'].pk}: ask the coordinator to reassign"):
        run("erase_person_data", username="ana", operator=OPERATOR, confirm=True)
    user = get_user_model().objects.get(pk=world["ana"].user.pk)
    assert user.username == "ana" and user.is_active and Reflection.objects.count() == 2
    assert PrivacyRequest.objects.get().outcome == "refused"


def test_an_erased_coordinators_name_leaves_the_audit_text(world):
    audit_record(actor=world["coordinator"].user, action="case.assign", obj=world["case"],
                               detail="Visitors: Ana Ruiz, Marcus Bell")
    run("erase_person_data", username="ana", operator=OPERATOR, confirm=True)
    assert AuditEntry.objects.filter(action="case.assign").get().detail == "Visitors: (removed), Marcus Bell"


@pytest.fixture
def make_roundtable_for():
    def make(world, *, days=7):
        starts = timezone.now() + timedelta(days=days)
        rt = rt_services.roundtable_create(
            by=world["trainer"].user, title_en="Getting to school", title_es="Llegar a la escuela", starts_at=starts,
            ends_at=starts + timedelta(hours=2), capacity=10, format=Format.IN_PERSON,
            address="195 Putnam Street, Hartford", languages=["en", "es"])
        world["roundtable"] = rt
        return rt

    return make


def test_a_family_is_erased_by_phone_and_the_roundtable_counts_stay(world, make_roundtable_for):
    rt = make_roundtable_for(world, days=-3)  # it happened three days ago
    with_time = timezone.now() - timedelta(days=10)
    rt_services.signup_create(roundtable=rt, name="María López", email="maria@example.org", phone="860-555-0142",
                              children_count=2, accessibility_needs="Wheelchair access", consent=True, now=with_time)
    rt_services.signup_create(roundtable=rt, name="Other Family", email="other@example.org", consent=True,
                              now=with_time)
    before = figures(world)
    out = run("erase_person_data", phone="(860) 555-0142", operator=OPERATOR, confirm=True)
    assert "roundtable.FamilySignup: 1 row(s) changed" in out
    erased = FamilySignup.objects.get(children_count=2)
    assert (erased.name, erased.email, erased.phone, erased.accessibility_needs) == ("", "", "", "")
    assert erased.contact_purged_at is not None
    assert FamilySignup.objects.get(email="other@example.org").name == "Other Family"
    assert figures(world) == before
    with pytest.raises(CommandError, match="No family sign-up has maria@example.org"):
        run("export_person_data", email="maria@example.org", operator=OPERATOR)


def test_a_family_with_an_upcoming_seat_is_told_to_cancel_first(world, make_roundtable_for):
    rt = make_roundtable_for(world)
    rt_services.signup_create(roundtable=rt, name="María López", email="maria@example.org", consent=True)
    with pytest.raises(CommandError, match="upcoming roundtables: cancel them first"):
        run("erase_person_data", email="maria@example.org", operator=OPERATOR, confirm=True)
    assert FamilySignup.objects.get().name == "María López"


def test_a_students_case_is_erased_only_once_closed(world):
    case = world["case"]
    with pytest.raises(CommandError, match=f"Case {case.pk} is still open"):
        run("erase_person_data", student=str(case.pk), operator=OPERATOR, confirm=True)
    case_services.case_close(case=case, by=world["coordinator"].user)
    run("erase_person_data", student=str(case.pk), operator=OPERATOR, confirm=True)
    case = StudentCase.objects.get(pk=case.pk)
    assert (case.student_ref, case.first_name, case.referral_reason, case.grade) == (
        f"removed-{case.pk}", "(removed)", "", "3")


# -- bad arguments: a clear message, nothing changed, nothing recorded -------------------------------------------

@pytest.mark.parametrize("command", ["export_person_data", "erase_person_data"])
@pytest.mark.parametrize("arguments, message", [
    (dict(username="nobody", operator=OPERATOR), "No account has the user name 'nobody'"),
    (dict(username="ana", email="ana@example.org", operator=OPERATOR), "Name one subject at a time"),
    (dict(username="ana"), "Say who asked for this with --operator"),
    (dict(username="ana", operator="   "), "Say who asked for this with --operator"),
    (dict(operator=OPERATOR), "Name whose data this is"),
    (dict(phone="12345", operator=OPERATOR), "Enter a US phone number with 10 digits"),
    (dict(email="not-an-email", operator=OPERATOR), "Enter a valid email address"),
    (dict(student="seven", operator=OPERATOR), "--student takes a case number"),
    (dict(student="999999", operator=OPERATOR), "No student case has the number 999999"),
])
def test_bad_arguments_are_refused_with_a_clear_message(world, tmp_path, command, arguments, message):
    folder = tmp_path / "out"
    folder.mkdir()
    extra = {"output": str(folder)} if command == "export_person_data" else {"confirm": True}
    with pytest.raises(CommandError, match=message):
        run(command, **arguments, **extra)
    assert PrivacyRequest.objects.count() == 0
    assert list(folder.iterdir()) == []
    user = get_user_model().objects.get(pk=world["ana"].user.pk)
    assert user.username == "ana" and user.is_active and Reflection.objects.count() == 2


def test_export_refuses_a_folder_that_does_not_exist(world, tmp_path):
    with pytest.raises(CommandError, match="--output must be an existing folder"):
        run("export_person_data", username="ana", operator=OPERATOR, output=str(tmp_path / "missing"))
    assert PrivacyRequest.objects.count() == 0
