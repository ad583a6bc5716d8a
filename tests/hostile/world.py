"""A small world for the hostile-input suite, built once per module through the services.

Two districts with people in every role, LEAP 101 with two modules, a session series with a registration,
a roundtable with a live and a cancelled sign-up, student cases in both districts (one assigned, with a
visit and a referral; one on each district's case board), discussion messages in two rooms, a
certificate, a personal calendar feed whose first token was replaced, and a recordings archive with one
recording.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.test import Client
from django.utils import timezone

PASSWORD = "a-long-test-password"


@dataclass
class World:
    people: dict = field(default_factory=dict)  # name -> Person
    keys: dict = field(default_factory=dict)  # name -> session key (force_login)
    hartford: object = None
    new_haven: object = None
    course: object = None
    modules: list = field(default_factory=list)
    check_id: str = ""
    reflection_id: str = ""
    case: object = None  # Hartford, assigned to marcus and luis, one visit with a referral
    board_case: object = None  # Hartford, on the board
    nh_case: object = None  # New Haven, on its board
    visit: object = None
    referral: object = None
    series: object = None
    occurrence_key: str = ""
    registration: object = None
    roundtable: object = None
    signup: object = None
    signup_token: str = ""
    cancelled_token: str = ""  # a used cancel link
    other_signup: object = None
    feed_token: str = ""
    old_feed_token: str = ""
    certificate: object = None
    recordings: object = None  # the recordings archive (a RecordingIndexPage) with one recording
    rooms: dict = field(default_factory=dict)
    messages: dict = field(default_factory=dict)  # name -> Message
    invitation: object = None  # a pending Hartford invitation sent by carla (its link: invite_token)
    invite_token: str = ""
    nh_invitation: object = None  # a pending New Haven invitation sent by dwayne
    invite_tokens: dict = field(default_factory=dict)  # used / expired / withdrawn / replaced -> a dead link
    learner_request: object = None  # a learner from elsewhere waiting for approval (hub.joining)
    practice: object = None  # a LEAP 101 live practice that began an hour ago, ana with a seat (tomas coaches)
    practice_key: str = ""
    scenario: object = None  # the course's one scenario, with a rubric

    def user(self, name):
        return self.people[name].user

    def client(self, name: str | None = None) -> Client:
        """A client signed in as `name` (a session made once per module), or anonymous."""
        client = Client()
        if name is not None:
            client.cookies["sessionid"] = self.keys[name]
        return client


def _session_key(user, *, verified: bool = True) -> str:
    """A signed-in session; for people who need the second factor, passed as tests/conftest does."""
    client = Client()
    client.force_login(user)
    if verified:
        try:
            from tests.conftest import verify_test_session
        except ImportError:  # before two-step sign-in exists
            pass
        else:
            verify_test_session(client.session, user)
    return client.cookies["sessionid"].value


def build_world() -> World:
    from coordinators import services as coord
    from coordinators.models import Barrier, CaseEvent, Referral, Visit
    from courses import services as course_services
    from courses.models import Certificate, ModulePage, Scenario
    from hub.demo import seed_organisations
    from hub.discussion import services as discussion
    from hub.models import District, Partner, Region, School
    from hub.program import PROGRAM_TZ
    from hub.roles import COACH, COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER, VISITOR
    from hub.services import person_create, site_ensure
    from roundtable import services as rt_services
    from roundtable.models import Format
    from sessions import services as session_services
    from sessions.models import Audience, Kind, Repeat
    from sessions.selectors import occurrence_key
    from tests.coordinators.conftest import certify, make_case
    from tests.courses.conftest import build_course

    w = World()
    home = site_ensure()
    seed_organisations()
    w.hartford = District.objects.get(name="Hartford")
    w.new_haven = District.objects.get(name="New Haven")
    parkville = School.objects.get(district=w.hartford, name="Parkville Community School")
    bulkeley = School.objects.get(district=w.hartford, name="Bulkeley High School")
    nh_school = School.objects.filter(district=w.new_haven).order_by("pk").first()

    def person(name, roles, **profile):
        w.people[name] = person_create(username=name, email=f"{name}@example.org", first_name=name.capitalize(),
                                       last_name="Tester", password=PASSWORD, roles=tuple(roles), **profile)
        return w.people[name]

    person("samira", [STATE_STAFF, COACH])
    person("rita", [REGIONAL_STAFF], region=Region.objects.get(code="crec"))
    person("tomas", [TRAINER, COACH])
    person("carla", [COORDINATOR], home_district=w.hartford)
    person("dwayne", [COORDINATOR], home_district=w.new_haven)
    person("marcus", [VISITOR], school=parkville)
    person("luis", [VISITOR], school=bulkeley)
    person("ana", [VISITOR], school=parkville)
    person("jordan", [VISITOR], school=nh_school)
    person("dana", [VISITOR], home_district=w.hartford,
           partner=Partner.objects.get(name="Capitol Region Youth Service Bureau"))

    scenario = Scenario.objects.create(
        slug="kitchen-table", title="A first visit", stage="first_visit", setting="Kitchen.",
        family_situation="A grandmother.", role_visitor_a="Lead.", role_visitor_b="Listen.", role_parent="Wary.",
        role_student="Not present.", opening="Thank her.", coach_prompts="Pause.", debrief_questions="What built trust?",
        rubric="Introduced the pair\nAsked about the child first")
    w.scenario = scenario
    w.course = build_course(home, scenario, modules=2)
    w.modules = list(ModulePage.objects.child_of(w.course).live().order_by("path"))
    for block in w.modules[0].body:
        if block.block_type == "knowledge_check":
            w.check_id = block.id
        if block.block_type == "reflection":
            w.reflection_id = block.id
    for name in ("marcus", "luis", "jordan", "dana"):
        certify(w.people[name], w.course)
    course_services.enrollment_start(person=w.people["ana"], course=w.course)
    w.certificate = Certificate.objects.filter(person=w.people["marcus"]).first()

    # Cases: one assigned with a visit and a referral, one on each district's board.
    coord.barriers_ensure()
    carla, dwayne = w.people["carla"], w.people["dwayne"]
    w.case = make_case(w.hartford, parkville, carla, ref="S-1", first="Jaylen")
    coord.case_assign(case=w.case, visitors=[w.people["marcus"], w.people["luis"]], by=carla.user)
    food = coord.resource_create(district=w.hartford, name="Foodshare", kind="food")
    w.visit = coord.visit_log(case=w.case, by=w.people["marcus"].user, data=coord.VisitData(
        visited_on=timezone.localdate(), kind=Visit.Kind.HOME_VISIT, place=Visit.Place.HOME,
        wants_more=Visit.WantsMore.YES, attendees=[w.people["marcus"]],
        barriers=list(Barrier.objects.all()[:1]), resources=[food], notes="Grandmother at home."))
    w.referral = Referral.objects.get(visit=w.visit)
    w.board_case = make_case(w.hartford, parkville, carla, ref="S-2", first="Maya")
    coord.case_open_for_volunteers(case=w.board_case, by=carla.user, note="Afternoons are best.")
    w.nh_case = make_case(w.new_haven, nh_school, dwayne, ref="NH-1", first="Omar")
    coord.case_open_for_volunteers(case=w.nh_case, by=dwayne.user, note="Evenings.")
    assert w.case.events.filter(kind=CaseEvent.Kind.ACCEPTED).exists()

    # A weekly Connection Session series starting tomorrow, with ana registered for the first date.
    first = timezone.localdate() + timedelta(days=1)
    w.series = session_services.series_create(
        by=w.user("tomas"), kind=Kind.CONNECTION, title="Connection Session", capacity=5, first_date=first,
        start_time=time(18, 0), duration_minutes=60, repeat=Repeat.WEEKLY, weekday=first.weekday(),
        last_date=first + timedelta(weeks=4), audience=Audience.ALL, join_link="https://meet.example.org/c")
    start = datetime.combine(first, time(18, 0), tzinfo=PROGRAM_TZ)
    w.occurrence_key = occurrence_key(start)
    w.registration = session_services.registration_create(series=w.series, start=start, person=w.people["ana"])
    # A LEAP 101 live practice that began an hour ago, ana with a seat: tomas (a coach) observes there.
    began = timezone.localtime() - timedelta(hours=1)
    practice = session_services.series_create(
        by=w.user("tomas"), kind=Kind.LEAP101_PRACTICE, title="LEAP 101 live practice", capacity=5,
        first_date=began.date(), start_time=time(began.hour, began.minute), duration_minutes=120)
    session_services.registration_create(series=practice, start=practice.event.start, person=w.people["ana"],
                                         now=practice.event.start - timedelta(days=1))
    w.practice = practice
    w.practice_key = occurrence_key(practice.event.start)
    w.old_feed_token = session_services.calendar_feed_ensure(person=w.people["ana"]).token
    w.feed_token = session_services.calendar_feed_regenerate(person=w.people["ana"]).token

    # A roundtable next week, 18:00-20:00 (a fixed hour: the end-time cases "before-start" 17:00 and
    # "same-as-start" 18:00 depend on it, whatever the hour the suite runs): one live sign-up, one
    # cancelled (its link was used).
    starts = datetime.combine(timezone.localdate() + timedelta(days=7), time(18, 0), tzinfo=PROGRAM_TZ)
    w.roundtable = rt_services.roundtable_create(
        by=w.user("tomas"), starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=5,
        title_en="Getting to school every day", title_es="Llegar a la escuela cada día",
        format=Format.IN_PERSON, address="195 Putnam Street, Hartford", languages=["en", "es"])
    made = rt_services.signup_create(roundtable=w.roundtable, name="Family One", email="one@example.org",
                                     consent=True)
    w.signup, w.signup_token = made.signup, made.token
    gone = rt_services.signup_create(roundtable=w.roundtable, name="Family Two", email="two@example.org",
                                     consent=True)
    rt_services.signup_cancel(signup=gone.signup)
    w.other_signup, w.cancelled_token = gone.signup, gone.token

    # Discussion: messages by ana (Hartford room) and jordan (New Haven room).
    discussion.rooms_ensure()
    w.rooms = {"hartford": discussion.room_get(slug="district-hartford"),
               "new_haven": discussion.room_get(slug="district-new-haven"),
               "trainers": discussion.room_get(slug="trainers")}
    w.messages["ana"], _ = discussion.message_post(room=w.rooms["hartford"], author=w.user("ana"),
                                                   body="Hello Hartford", client_id="ana-1")
    w.messages["marcus"], _ = discussion.message_post(room=w.rooms["hartford"], author=w.user("marcus"),
                                                      body="Hi Ana", client_id="marcus-1")
    w.messages["jordan"], _ = discussion.message_post(room=w.rooms["new_haven"], author=w.user("jordan"),
                                                      body="Hello New Haven", client_id="jordan-1")

    # The recordings archive: one published Talk Tuesday recording on one topic.
    from sessions.models import RecordingIndexPage, RecordingPage

    w.recordings = home.add_child(instance=RecordingIndexPage(title="Talk Tuesday recordings", slug="recordings"))
    recording = RecordingPage(title="Listening first", recorded_on=first, presenters="Tomás Rivera",
                              transcript="The kitchen table and open questions.")
    recording.topics.add("first visits")
    w.recordings.add_child(instance=recording)
    recording.save_revision().publish()

    # Invitations (hub.joining): one pending in each district, and links in every unusable state.
    from hub.joining import services as joining
    from hub.joining.models import Invitation

    def invite(by, email, district, *, name="Nia Newcomer"):
        made = joining.invitation_create(by=w.user(by), data=joining.InvitationData(
            email=email, name=name, role=VISITOR, district=district))
        token, made.token_hash = joining._new_token()  # the link is only in the email: give it a known one
        Invitation.objects.filter(pk=made.pk).update(token_hash=made.token_hash)
        return made, token

    w.invitation, w.invite_token = invite("carla", "nia@example.org", w.hartford)
    w.nh_invitation, _ = invite("dwayne", "omar.nh@example.org", w.new_haven)
    used, w.invite_tokens["used"] = invite("carla", "used@example.org", w.hartford)
    joining.invitation_accept(token=w.invite_tokens["used"], name="Uma Used", language="en", password=PASSWORD)
    expired, w.invite_tokens["expired"] = invite("carla", "expired@example.org", w.hartford)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    withdrawn, w.invite_tokens["withdrawn"] = invite("carla", "withdrawn@example.org", w.hartford)
    joining.invitation_withdraw(invitation=withdrawn, by=w.user("carla"))
    replaced, w.invite_tokens["replaced"] = invite("carla", "replaced@example.org", w.hartford)
    joining.invitation_resend(invitation=replaced, by=w.user("carla"))
    w.learner_request = joining.learner_signup(data=joining.LearnerData(
        name="Lee Learner", email="lee@elsewhere.example.org", organisation="Elsewhere Schools", region="Ontario",
        country="Canada", password=PASSWORD)).request

    # Account life: dana (Hartford) is moving to New Haven, waiting for dwayne.
    from hub.membership import services as membership

    w.move, _ = membership.visitor_move(person_id=w.people["dana"].pk, to_district_id=w.new_haven.pk,
                                        by=w.user("carla"))

    # Wagtail makes a user's preferences row on their first page view (its user bar): make them now, so
    # that a refused request's page view changes nothing.
    from wagtail.users.models import UserProfile

    for p in w.people.values():
        UserProfile.get_for_user(p.user)
    w.keys = {name: _session_key(p.user) for name, p in w.people.items()}
    return w
