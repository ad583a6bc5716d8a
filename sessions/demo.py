"""Demo sessions: a school year of Talk Tuesdays (some recorded), weekly Connection Sessions, LEAP 101
live practice, monthly coordinator meetings and trainings, with registrations and attendance.

Everything is built through `sessions.services`; running it twice creates nothing twice (series by
slug, recordings by slug, and a second registration is refused by the service and skipped).
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.errors import CourseError, UnknownCourse
from courses.models import Observation, Scenario
from hub.demo import demo_step
from hub.errors import HubError
from hub.models import District, HomePage, Person
from hub.program import PROGRAM_TZ
from sessions import services
from sessions.models import Audience, Kind, RecordingIndexPage, RecordingPage, Registration, Repeat, Series

PRACTICE_SCENARIOS = ["first-visit-the-first-phone-call", "first-visit-a-wary-welcome"]
VISITORS = ["visitor", "marcus", "dana", "luis", "fatima", "jordan", "beatriz", "kevin", "rosa", "james", "nadia"]
COORDINATORS = ["coordinator", "coordinator.nh", "coordinator.bpt"]

TALKS = [
    ("Listening first: the opening minutes of a first visit", ["first visits", "relationships"],
     "Two visitor pairs from Hartford and New Haven walked through how they open a first visit: introducing "
     "themselves as partners, asking about the family's hopes for their child, and leaving attendance for later."),
    ("When the family says no (for now)", ["voluntary", "relationships"],
     "Declining is a family's right. Visitors shared how they close a declined visit warmly and how a door "
     "left open led to a yes in the spring."),
    ("Transportation barriers and what actually helped", ["barriers", "transportation"],
     "Bus passes, walking groups and a school's late-bus schedule: what visitors tried, and which referrals "
     "connected families to a service."),
    ("Visiting with an interpreter", ["language", "culturally responsive"],
     "How to brief an interpreter, where to sit, and why to speak to the parent rather than the interpreter."),
]


def _school_year(today: date) -> tuple[date, date]:
    first = date(today.year if today.month >= 8 else today.year - 1, 9, 1)
    return first, date(first.year + 1, 6, 15)


def _people(usernames) -> list[Person]:
    found = {p.user.username: p for p in Person.objects.select_related("user").filter(user__username__in=usernames)}
    return [found[u] for u in usernames if u in found]


def _series(*, slug: str, by, **spec) -> Series:
    existing = Series.objects.filter(slug=slug).first()
    return existing or services.series_create(by=by, slug=slug, **spec)


def _register(series: Series, start: datetime, people: list[Person]) -> list[Registration]:
    made = []
    for person in people:
        try:
            made.append(services.registration_create(series=series, start=start, person=person,
                                                     now=min(timezone.now(), start - timedelta(days=2))))
        except HubError:
            continue  # already registered (a second run) or not in the audience
    return made


def _attend(series: Series, start: datetime, present: dict[str, bool], by) -> int:
    occurrence = services.occurrence_ensure(series=series, start=start)
    marked = 0
    for reg in occurrence.registrations.select_related("person__user"):
        if reg.person.user.username not in present:
            continue
        try:
            services.attendance_mark(registration=reg, present=present[reg.person.user.username], by=by)
            marked += 1
        except UnknownCourse:
            continue  # LEAP 101 is not published yet: no practice credit, so no attendance row either
        except HubError:
            continue
    return marked


@demo_step(order=30)
def seed_sessions() -> str:
    User = get_user_model()
    trainer = User.objects.get(username="trainer")
    trainers = _people(["trainer", "trainer2"])
    now = timezone.now()
    year_start, year_end = _school_year(timezone.localdate())
    soon = timezone.localdate() + timedelta(days=16)

    talk = _series(
        slug="talk-tuesdays", by=trainer, kind=Kind.TALK_TUESDAY, title="Talk Tuesday",
        description="An informal half hour (and a bit) for every home visitor, coordinator and partner: one "
                    "story from the field, then open conversation. Recorded and archived.",
        repeat=Repeat.BIWEEKLY, weekday=1, first_date=year_start, last_date=year_end, start_time=time(15, 30),
        duration_minutes=60, capacity=100, join_link="https://meet.homevisithub.org/talk-tuesday",
        facilitators=trainers)
    connection = _series(
        slug="connection-sessions", by=trainer, kind=Kind.CONNECTION, title="Connection Session",
        description="Visitors share what is working, learn from each other and flag what they need.",
        repeat=Repeat.WEEKLY, weekday=3, first_date=year_start, last_date=year_end, start_time=time(16, 0),
        duration_minutes=60, capacity=25, join_link="https://meet.homevisithub.org/connection",
        facilitators=trainers[1:])
    practice = _series(
        slug="leap-101-live-practice", by=trainer, kind=Kind.LEAP101_PRACTICE, title="LEAP 101 live practice",
        description="Role plays of a first visit and a follow-up call with a trained coach. Attending counts "
                    "as the live practice LEAP 101 needs for the certificate.",
        repeat=Repeat.BIWEEKLY, weekday=2, first_date=year_start, last_date=year_end, start_time=time(17, 0),
        duration_minutes=90, capacity=8, join_link="https://meet.homevisithub.org/leap-101-practice",
        facilitators=trainers[:1], scenarios=list(Scenario.objects.filter(slug__in=PRACTICE_SCENARIOS)))
    coordinators = _series(
        slug="district-coordinator-meetings", by=trainer, kind=Kind.COORDINATOR_MEETING,
        title="District Coordinator Meeting", audience=Audience.COORDINATORS,
        description="Monthly: training numbers, case assignment, barriers we see across districts.",
        repeat=Repeat.MONTHLY_NTH, weekday=0, nth=1, first_date=year_start, last_date=year_end,
        start_time=time(10, 0), duration_minutes=60, capacity=40,
        join_link="https://meet.homevisithub.org/coordinators", facilitators=trainers[:1])
    _series(slug="mental-health-first-aid", by=trainer, kind=Kind.MHFA, title="Mental Health First Aid (adult)",
            description="The full-day certification course, for visitors with a current LEAP 101 certificate.",
            audience=Audience.CERTIFIED, first_date=soon, start_time=time(9, 0), duration_minutes=420,
            capacity=20, facilitators=trainers[1:])
    _series(slug="wellness-circles", by=trainer, kind=Kind.WELLNESS, title="Wellness circle for visitors",
            description="Social-emotional health and wellness: looking after yourself while you support families.",
            repeat=Repeat.MONTHLY_NTH, weekday=4, nth=-1, first_date=year_start, last_date=year_end,
            start_time=time(12, 0), duration_minutes=45, capacity=30, facilitators=trainers[1:])
    hartford = District.objects.filter(name="Hartford").first()
    if hartford is not None:
        _series(slug="hartford-leap-in-our-schools", by=trainer, kind=Kind.DISTRICT_TRAINING,
                title="Hartford: LEAP in our schools", audience=Audience.DISTRICT, district=hartford,
                description="How Hartford schools refer students, log visits and follow up with attendance teams.",
                first_date=soon + timedelta(days=5), start_time=time(15, 0), duration_minutes=90, capacity=30)

    visitors = _people(VISITORS)
    day_start = datetime.combine(year_start, time(0), tzinfo=PROGRAM_TZ)
    horizon = now + timedelta(days=60)

    # Past sessions: registrations made before them, attendance marked afterwards.
    for series, people, present in [
        (talk, visitors[:6], {"visitor": True, "marcus": True, "dana": False, "luis": True}),
        (connection, visitors[:5], {"visitor": True, "dana": True, "fatima": True, "marcus": False}),
        (practice, visitors[:4], {"visitor": True, "marcus": True, "dana": False}),
    ]:
        past = [s for s in services.occurrences_of_series(series=series, start=day_start, end=now)
                if s + timedelta(hours=2) < now][-3:]
        for start in past:
            _register(series, start, people)
            _attend(series, start, present, trainer)
    _observe_ana(practice, day_start, now, trainer)
    # Coming sessions: seats taken; the next practice is full with a waitlist.
    coming = {s: [o for o in services.occurrences_of_series(series=s, start=now, end=horizon) if o > now]
              for s in (talk, connection, practice, coordinators)}
    if coming[talk]:
        _register(talk, coming[talk][0], _people(["visitor", "dana", "luis", "jordan"]))
    if coming[connection]:
        _register(connection, coming[connection][0], _people(["marcus", "fatima", "kevin"]))
    if coming[practice]:
        _register(practice, coming[practice][0], visitors[1:11])  # 8 seats: two on the waitlist
    if coming[coordinators]:
        _register(coordinators, coming[coordinators][0], _people(COORDINATORS))

    recordings = _recordings(talk, day_start, now)
    _required_for_renewal(talk, trainer)
    return (f"{Series.objects.count()} series, {Registration.objects.count()} registrations, "
            f"{recordings} recordings")


MAKEUP_DEMO_SECONDS = 90


def tone_wav(seconds: int, *, rate: int = 8000) -> bytes:
    """A quiet 440 Hz tone as a WAV file (8-bit mono): a recording the browser plays, for the demo and tests."""
    import io
    import math
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(rate)
        wav.writeframes(bytes(128 + int(12 * math.sin(2 * math.pi * 440 * n / rate)) for n in range(seconds * rate)))
    return out.getvalue()


def _required_for_renewal(talk: Series, trainer) -> None:
    """The latest recorded Talk Tuesday counts toward a LEAP 101 renewal, and its recording plays on the Hub
    (a 90-second stand-in), so visitors who missed it (Beatriz, whose certificate expired; Rosa, whose expires
    soon) can make it up from My training. Ana, Marcus and Luis attended it: it counts for them already."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = RecordingPage.objects.filter(occurrence__series=talk).order_by("-recorded_on").first()
    if page is None or page.occurrence.required_for_renewal:
        return
    if page.video_id is None:
        page.video = services.recording_upload(
            uploaded=SimpleUploadedFile("talk-tuesday-excerpt.wav", tone_wav(MAKEUP_DEMO_SECONDS), "audio/wav"),
            by=trainer, title=f"{page.title} (excerpt)")
        page.duration_seconds = MAKEUP_DEMO_SECONDS
        page.save_revision().publish()
    try:
        services.occurrence_renewal_set(series=talk, start=page.occurrence.original_start, required=True, by=trainer)
    except (HubError, UnknownCourse):
        return  # LEAP 101 is not published in this demo


def _observe_ana(practice: Series, since: datetime, now: datetime, coach) -> None:
    """At the latest practice Ana attended, the coach (Tomás) watched her first phone call: practise again.
    Her My training shows the note and the marks; she still has modules to finish."""
    past = [s for s in services.occurrences_of_series(series=practice, start=since, end=now)
            if s + timedelta(hours=2) < now][-1:]
    ana = Person.objects.filter(user__username="visitor").first()
    scenario = Scenario.objects.filter(slug=PRACTICE_SCENARIOS[0]).first()
    if not past or ana is None or scenario is None or Observation.objects.filter(participant=ana).exists():
        return
    try:
        services.practice_observation_record(
            occurrence=services.occurrence_ensure(series=practice, start=past[0]), by=coach, participant_id=ana.pk,
            scenario_id=scenario.pk, met=[0, 1, 2], outcome=Observation.Outcome.PRACTISE_AGAIN,
            note="A warm, clear introduction and a real positive about the student. When the parent asked "
                 "whether her daughter is in trouble, answer that first, plainly, then say the visit is voluntary.")
    except CourseError:
        return  # LEAP 101 is not published, or the coach is not a coach in this demo


def _recordings(talk: Series, since: datetime, now: datetime) -> int:
    home = HomePage.objects.first()
    if home is None:
        return 0
    index = RecordingIndexPage.objects.first()
    if index is None:
        index = RecordingIndexPage(
            title="Talk Tuesday recordings", slug="recordings",
            intro="<p>Every Talk Tuesday is recorded. Search by what was discussed or pick a topic.</p>")
        home.add_child(instance=index)
        index.save_revision().publish()
    past = [s for s in services.occurrences_of_series(series=talk, start=since, end=now)
            if s + timedelta(hours=2) < now][-len(TALKS):]
    for start, (title, topics, summary) in zip(reversed(past), TALKS, strict=False):
        slug = f"talk-tuesday-{start:%Y-%m-%d}"
        if RecordingPage.objects.filter(slug=slug).exists():
            continue
        page = RecordingPage(
            title=title, slug=slug, recorded_on=start.date(), presenters="Tomás Rivera, Grace Liu",
            summary=f"<p>{summary}</p>", occurrence=services.occurrence_ensure(series=talk, start=start),
            transcript=f"Tomás: Welcome to Talk Tuesday. Today: {title.lower()}.\n{summary}",
        )
        page.topics.add(*topics)
        index.add_child(instance=page)
        page.save_revision().publish()
    return RecordingPage.objects.count()
