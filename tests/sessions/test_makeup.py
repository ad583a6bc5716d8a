"""Make-up by recording: a session marked required for renewal counts toward a LEAP 101 renewal when the
person attended it live, or missed it and then played most of its recording (reported by the page's
player, judged on the server) and answered its question. Positions the person could not have reached
(faster than real time, a jump ahead, a replay, a recording they may not make up) count nothing."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses import services as course_services
from courses.demo import complete_module
from courses.models import Certificate, CoursePage, ModulePage, SessionCredit
from courses.selectors import Need, State, certification_status, certification_statuses
from hub.models import District
from hub.roles import VISITOR
from sessions import errors, services
from sessions.demo import tone_wav
from sessions.models import Audience, Kind, RecordingIndexPage, RecordingPage, RecordingWatch
from sessions.selectors import recording_makeup
from tests.courses.conftest import build_course

pytestmark = pytest.mark.django_db

DURATION = 100  # seconds
ANSWER = "I will ask the family about their hopes before I say anything about attendance."


@pytest.fixture
def leap(home_page):
    from courses.models import Scenario

    scenario = Scenario.objects.create(slug="s", title="A first visit", stage="first_visit", setting="Kitchen.",
                                       family_situation="A family.", role_visitor_a="Lead.", role_visitor_b="Listen.",
                                       role_parent="Wary.", role_student="Absent.", opening="Hello.",
                                       coach_prompts="Pause.", debrief_questions="What built trust?")
    course = build_course(home_page, scenario, modules=2, practice=False)
    CoursePage.objects.filter(pk=course.pk).update(renewal_sessions_required=1)
    return CoursePage.objects.get(pk=course.pk)


def expired(person, course):
    """`person` was certified 25 months ago: the certificate has expired."""
    long_ago = timezone.now() - relativedelta(months=25)
    course_services.enrollment_start(person=person, course=course)
    for module in ModulePage.objects.child_of(course).live().order_by("path"):
        complete_module(person, module, long_ago)
    assert certification_status(person=person, course_code=course.code).state == State.EXPIRED


def renew_modules(person, course):
    """The renewal's module part: the refresher module (the first) completed again, its check passed again."""
    complete_module(person, ModulePage.objects.child_of(course).live().order_by("path").first(), None)


@pytest.fixture
def session(make_series, trainer, home_page):
    """A Connection Session held (tomorrow, at 6 pm: `held` is two hours after it starts), marked required for
    renewal, with a 100-second recording played on the Hub."""
    series = make_series(kind=Kind.CONNECTION, title="Connection Session", capacity=10)
    start = series.event.start
    occurrence = services.occurrence_renewal_set(series=series, start=start, required=True, by=trainer.user)
    index = RecordingIndexPage(title="Recordings", slug="recordings")
    home_page.add_child(instance=index)
    audio = services.recording_upload(uploaded=SimpleUploadedFile("talk.wav", tone_wav(2), "audio/wav"),
                                      by=trainer.user)
    page = RecordingPage(title="Listening first", recorded_on=start.date(), occurrence=occurrence, video=audio,
                         duration_seconds=DURATION)
    index.add_child(instance=page)
    page.save_revision().publish()
    return series, start, occurrence, RecordingPage.objects.get(pk=page.pk), start + timedelta(hours=2)


def play(user, page, held, spans, *, pace=1.0):
    """Report positions as a player would: for each (from, to), a start at `from`, then every 5 s of clock
    `5 * pace` seconds further, up to `to`. Returns the clock after the last report."""
    clock = held
    for start, end in spans:
        position = start
        services.recording_progress(user=user, recording=page, position=position, now=clock)
        while position < end:
            clock += timedelta(seconds=5)
            position = min(end, position + 5 * pace)
            services.recording_progress(user=user, recording=page, position=position, now=clock)
        clock += timedelta(seconds=30)
    return clock


def held_yesterday(occurrence):
    """Move the session into the past by the real clock (for the pages, which read it)."""
    from schedule.models import Occurrence

    Occurrence.objects.filter(pk=occurrence.occurrence_id).update(
        start=timezone.now() - timedelta(days=1, hours=1), end=timezone.now() - timedelta(days=1))


def watch_of(person, page):
    return RecordingWatch.objects.filter(person=person, recording=page).first()


def test_a_missed_required_session_made_up_by_its_recording_completes_the_renewal(visitor, leap, session, client):
    series, start, occurrence, page, held = session
    expired(visitor, leap)
    renew_modules(visitor, leap)
    status = certification_status(person=visitor, course_code=leap.code)
    assert status.state == State.EXPIRED and status.renewal_open and status.renewal_sessions_missing == 1
    assert "renewal_sessions_missing" in [r.code for r in status.reasons]
    clock = play(visitor.user, page, held, [(0, 85)])
    assert watch_of(visitor, page).played_seconds == pytest.approx(85)
    assert not SessionCredit.objects.exists()  # played enough, but the question is not answered yet
    services.recording_reflection_save(user=visitor.user, recording=page, text=ANSWER, now=clock)
    credit = SessionCredit.objects.get()
    assert (credit.person, credit.via, credit.held_on) == (visitor, SessionCredit.Via.RECORDING, start.date())
    status = certification_status(person=visitor, course_code=leap.code)
    assert status.state == State.CERTIFIED and Certificate.objects.filter(person=visitor).count() == 2
    held_yesterday(occurrence)
    client.force_login(visitor.user)
    page_html = client.get(page.url).content.decode()
    assert "Counted toward your LEAP 101 renewal" in page_html
    html = client.get(reverse("courses:my_training")).content.decode()
    assert "Connection Session on" in html and "made up by watching the recording" in html


def test_the_answer_first_then_the_playing_also_counts(visitor, leap, session):
    series, start, occurrence, page, held = session
    expired(visitor, leap)
    renew_modules(visitor, leap)
    services.recording_reflection_save(user=visitor.user, recording=page, text=ANSWER, now=held)
    play(visitor.user, page, held, [(0, 79)])
    assert not SessionCredit.objects.exists()  # 79 %: not yet
    play(visitor.user, page, held + timedelta(minutes=10), [(79, 81)])
    assert SessionCredit.objects.get().via == SessionCredit.Via.RECORDING
    assert certification_status(person=visitor, course_code=leap.code).state == State.CERTIFIED


@pytest.mark.parametrize("how, spans, pace", [
    ("twice-as-fast", [(0, 100)], 2.0),
    ("a-little-too-fast", [(0, 100)], 1.2),
    ("jumps-ahead", [(0, 5), (90, 100)], 1.0),
    ("the-same-part-replayed", [(0, 40), (0, 40), (0, 40)], 1.0),
    ("backwards-and-forwards", [(0, 30), (10, 30), (20, 50)], 1.0),
])
def test_what_could_not_have_been_watched_counts_nothing(visitor, leap, session, how, spans, pace):
    series, start, occurrence, page, held = session
    expired(visitor, leap)
    renew_modules(visitor, leap)
    services.recording_reflection_save(user=visitor.user, recording=page, text=ANSWER, now=held)
    play(visitor.user, page, held, spans, pace=pace)
    watch = watch_of(visitor, page)
    assert watch.played_seconds < 0.8 * DURATION, how
    assert watch.counted_at is None and not SessionCredit.objects.exists()
    assert certification_status(person=visitor, course_code=leap.code).state == State.EXPIRED


def test_many_reports_at_one_moment_add_nothing(visitor, leap, session):
    """A script posting positions as fast as it can: no clock passes between them, so nothing is played."""
    series, start, occurrence, page, held = session
    for position in range(0, DURATION + 1, 2):
        services.recording_progress(user=visitor.user, recording=page, position=position, now=held)
    assert watch_of(visitor, page).played_seconds == 0


@pytest.mark.parametrize("value", ["", "abc", "nan", "NaN", "inf", "-inf", "-1", "1e309", str(DURATION + 5),
                                   "99999999999999999999", None, "0x10", "1,5", "\x00"])
def test_a_position_that_cannot_be_read_is_refused_and_changes_nothing(visitor, session, value, client):
    series, start, occurrence, page, held = session
    services.recording_progress(user=visitor.user, recording=page, position=10, now=held)
    before = watch_of(visitor, page)
    with pytest.raises(errors.InvalidProgress):
        services.recording_progress(user=visitor.user, recording=page, position=value, now=held + timedelta(seconds=5))
    after = watch_of(visitor, page)
    assert (after.position, after.reported_at, after.played) == (before.position, before.reported_at, before.played)


def test_the_progress_address_answers_a_bad_position_with_a_400_and_a_reason(visitor, session, client):
    series, start, occurrence, page, held = session
    client.force_login(visitor.user)
    url = reverse("training_sessions:recording_progress", args=[page.pk])
    # Not held yet by the real clock (the session is tomorrow): refused as not a make-up, nothing stored.
    assert client.post(url, {"position": "3"}).status_code == 404
    assert not RecordingWatch.objects.exists()
    held_yesterday(occurrence)
    response = client.post(url, {"position": "lots"})
    assert response.status_code == 400 and "could not be read" in response.json()["error"]
    response = client.post(url, {"position": "3"})
    assert response.status_code == 200 and response.json() == {"percent": 0, "played_enough": False,
                                                               "counted": False}
    assert client.get(url).status_code == 405
    client.logout()
    assert client.post(url, {"position": "4"}).status_code == 302  # to sign in
    assert watch_of(visitor, page).position == 3


@pytest.mark.parametrize("text, message", [
    ("", "at least 20 characters"), ("   short   ", "at least 20 characters"),
    ("x" * 2001, "keep it to 2,000"), ("A fine answer but with a \x00 NUL byte", "control character"),
    ("A fine answer but with a \x07 bell in it", "control character"), (None, "at least 20 characters"),
])
def test_an_unusable_answer_is_refused_and_nothing_is_saved(visitor, leap, session, text, message):
    series, start, occurrence, page, held = session
    play(visitor.user, page, held, [(0, 90)])
    with pytest.raises(errors.InvalidProgress, match=message):
        services.recording_reflection_save(user=visitor.user, recording=page, text=text, now=held)
    assert watch_of(visitor, page).reflection == "" and not SessionCredit.objects.exists()


def test_someone_who_attended_live_is_credited_and_is_not_offered_the_make_up(visitor, trainer, leap, session):
    series, start, occurrence, page, held = session
    expired(visitor, leap)
    registration = services.registration_create(series=series, start=start, person=visitor)
    services.attendance_mark(registration=registration, present=True, by=trainer.user, now=held)
    assert SessionCredit.objects.get().via == SessionCredit.Via.LIVE
    makeup = recording_makeup(user=visitor.user, recording=page, now=held)
    assert not makeup.offered and "attended" in makeup.reason
    with pytest.raises(errors.MakeupRefused):
        services.recording_progress(user=visitor.user, recording=page, position=1, now=held)
    # Corrected to absent: the live credit goes, and the make-up is offered.
    services.attendance_mark(registration=registration, present=False, by=trainer.user, now=held)
    assert not SessionCredit.objects.exists()
    assert recording_makeup(user=visitor.user, recording=page, now=held).offered


def test_registered_and_absent_may_make_it_up(visitor, trainer, leap, session):
    series, start, occurrence, page, held = session
    registration = services.registration_create(series=series, start=start, person=visitor)
    services.attendance_mark(registration=registration, present=False, by=trainer.user, now=held)
    assert recording_makeup(user=visitor.user, recording=page, now=held).offered


def test_marking_a_session_required_later_credits_who_attended_and_unmarking_withdraws(
        visitor, trainer, leap, make_series):
    series = make_series(kind=Kind.CONNECTION, title="Connection Session", capacity=10)
    start = series.event.start
    registration = services.registration_create(series=series, start=start, person=visitor)
    services.attendance_mark(registration=registration, present=True, by=trainer.user,
                             now=start + timedelta(hours=1))
    assert not SessionCredit.objects.exists()  # not required for renewal (yet)
    services.occurrence_renewal_set(series=series, start=start, required=True, by=trainer.user)
    services.occurrence_renewal_set(series=series, start=start, required=True, by=trainer.user)  # again: no change
    assert SessionCredit.objects.get().via == SessionCredit.Via.LIVE
    services.occurrence_renewal_set(series=series, start=start, required=False, by=trainer.user)
    assert not SessionCredit.objects.exists()


def test_only_trainers_mark_a_session_required(visitor, make_series, client):
    series = make_series()
    with pytest.raises(errors.NotAllowed):
        services.occurrence_renewal_set(series=series, start=series.event.start, required=True, by=visitor.user)
    client.force_login(visitor.user)
    from sessions.selectors import occurrence_key

    url = reverse("training_sessions:occurrence_renewal", args=[series.pk, occurrence_key(series.event.start)])
    assert client.post(url, {"required": "yes"}).status_code == 403
    from sessions.models import SessionOccurrence

    assert not SessionOccurrence.objects.filter(required_for_renewal=True).exists()


def test_a_trainer_marks_it_from_the_session_page(trainer, make_series, client):
    series = make_series()
    from sessions.selectors import occurrence_key

    key = occurrence_key(series.event.start)
    client.force_login(trainer.user)
    url = reverse("training_sessions:occurrence_renewal", args=[series.pk, key])
    for junk in ["", "maybe", "YES"]:
        response = client.post(url, {"required": junk}, follow=True)
        assert "Choose whether this session counts toward renewal" in response.content.decode()
    response = client.post(url, {"required": "yes"}, follow=True)
    assert "now counts toward a LEAP 101 renewal" in response.content.decode()
    assert "Stop counting it toward renewal" in response.content.decode()


@pytest.mark.parametrize("why", ["not-required", "not-held", "external-address", "no-length", "other-district",
                                 "signed-out"])
def test_a_recording_that_cannot_be_a_make_up_is_refused_and_nothing_is_stored(
        why, visitor, trainer, leap, session, orgs):
    series, start, occurrence, page, held = session
    user, now = visitor.user, held
    if why == "not-required":
        services.occurrence_renewal_set(series=series, start=start, required=False, by=trainer.user)
    elif why == "not-held":
        now = start - timedelta(minutes=1)
    elif why == "external-address":
        RecordingPage.objects.filter(pk=page.pk).update(video=None, video_url="https://video.example.org/1")
    elif why == "no-length":
        RecordingPage.objects.filter(pk=page.pk).update(duration_seconds=None)
    elif why == "other-district":
        from sessions.models import Series

        Series.objects.filter(pk=series.pk).update(audience=Audience.DISTRICT,
                                                   district=District.objects.exclude(name="Hartford").first())
    else:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    page = RecordingPage.objects.get(pk=page.pk)
    assert not recording_makeup(user=user, recording=page, now=now).offered
    with pytest.raises(errors.MakeupRefused):
        services.recording_progress(user=user, recording=page, position=1, now=now)
    with pytest.raises(errors.MakeupRefused):
        services.recording_reflection_save(user=user, recording=page, text=ANSWER, now=now)
    assert not RecordingWatch.objects.exists() and not SessionCredit.objects.exists()


def test_only_sessions_held_since_the_certificate_was_issued_count(visitor, leap):
    expired(visitor, leap)
    renew_modules(visitor, leap)
    older = (timezone.now() - relativedelta(months=26)).date()
    course_services.session_credit_record(person=visitor, course_code=leap.code, session_ref="old", title="Old one",
                                          held_on=older, via=SessionCredit.Via.LIVE)
    status = certification_status(person=visitor, course_code=leap.code)
    assert status.state == State.EXPIRED and status.renewal_sessions_missing == 1
    course_services.session_credit_record(person=visitor, course_code=leap.code, session_ref="new", title="New one",
                                          held_on=timezone.localdate(), via=SessionCredit.Via.LIVE)
    assert certification_status(person=visitor, course_code=leap.code).state == State.CERTIFIED


def test_my_training_shows_the_session_place_and_the_recording_to_make_it_up(visitor, leap, session, client):
    series, start, occurrence, page, held = session
    expired(visitor, leap)
    held_yesterday(occurrence)
    client.force_login(visitor.user)
    html = client.get(reverse("courses:my_training")).content.decode()
    assert "A session required for renewal: not yet" in html
    assert "Recordings that make up a session you missed" in html and page.url in html
    assert "renewal also needs 1 session required for renewal" in html


def test_the_status_query_count_stays_the_same_for_more_people(leap, make_person, orgs, django_assert_num_queries):
    people = [make_person(roles=[VISITOR], home_district=orgs["Hartford"]) for _ in range(6)]
    for person in people[:3]:
        expired(person, leap)
        course_services.session_credit_record(person=person, course_code=leap.code, session_ref="s", title="S",
                                              held_on=timezone.localdate(), via=SessionCredit.Via.LIVE)
    with django_assert_num_queries(8):  # the 7 of the rule, and the sessions credited
        certification_statuses(people=people[:1], course_code=leap.code)
    with django_assert_num_queries(8):
        got = certification_statuses(people=people, course_code=leap.code)
    assert [r.kind for r in got[people[0].pk].renewal_requirements][-1] == Need.RENEWAL_SESSION
