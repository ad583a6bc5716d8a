"""An approved learner from elsewhere (hub.roles.LEARNER, no district) reaches LEAP 101, sessions, the
statewide community room and their certificate, and never a student case, a roster, a coordinator's page
or a district's room."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from courses.models import Certificate
from hub.discussion import services as discussion
from hub.discussion.models import Room
from hub.joining import services as joining
from hub.roles import LEARNER, TRAINER, roles_of
from hub.selectors import scope_for
from sessions import services as session_services
from sessions.models import Audience, Kind, Registration, Repeat
from sessions.selectors import audience_refusal, occurrence_key, viewer_for
from tests.coordinators.conftest import certify

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(make_person):
    return make_person("tomas", roles=(TRAINER,))


@pytest.fixture
def learner(orgs, trainer, django_capture_on_commit_callbacks):
    """Signed up through the public form's service and approved by a trainer."""
    with django_capture_on_commit_callbacks(execute=True):
        result = joining.learner_signup(data=joining.LearnerData(
            name="Keisha Brown", email="keisha@providence.example.org", organisation="Providence Public Schools",
            region="Rhode Island", country="United States", password="porch-light-visits-42"))
        joining.learner_approve(learner_request=result.request, by=trainer.user)
    user = result.request.account
    user.refresh_from_db()
    return user


def test_the_learner_holds_the_learner_role_and_no_district(learner):
    assert roles_of(learner) == {LEARNER} and not scope_for(learner).exists()


def test_cases_rosters_and_coordinator_pages_answer_403_or_404(client, learner, case, marcus):
    client.force_login(learner)
    forbidden = ["/coordinators/", "/coordinators/roster/export.csv", f"/coordinators/roster/{marcus.pk}/",
                 "/coordinators/cases/", f"/coordinators/cases/{case.pk}/", "/coordinators/cases/new/",
                 "/coordinators/cases/export.csv", "/coordinators/dashboard/", "/coordinators/impact/",
                 "/coordinators/board/", f"/coordinators/board/{case.district_id}/",
                 "/join/invitations/", "/join/learners/"]
    for url in forbidden:
        response = client.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert "Jaylen" not in response.content.decode(), url
    for url in (f"/coordinators/cases/{case.pk}/choice/", f"/coordinators/cases/{case.pk}/assign/",
                f"/coordinators/cases/{case.pk}/visits/new/"):
        assert client.post(url, {}).status_code in (403, 404), url
    # Pages for everyone signed in show nothing of the district: their own cases (none), their own trail.
    for url in ("/coordinators/mine/", "/coordinators/audit/"):
        response = client.get(url)
        assert response.status_code == 200 and "Jaylen" not in response.content.decode() and "S-1" not in \
            response.content.decode(), url


def test_district_and_region_rooms_are_closed_and_the_community_room_opens_once_on_leap_101(
        client, learner, leap):
    discussion.rooms_ensure()
    client.force_login(learner)
    for room in Room.objects.filter(kind__in=[Room.Kind.DISTRICT, Room.Kind.REGION, Room.Kind.TRAINERS,
                                              Room.Kind.COORDINATORS]):
        assert client.get(f"/discussion/{room.slug}/").status_code == 403, room.slug
    # LEAP 101's page opens, and enrolling (its button) lets them into the statewide room.
    assert client.get(leap.url).status_code == 200
    assert client.post(f"/training/courses/{leap.pk}/enroll/").status_code == 302
    assert client.get("/discussion/community/").status_code == 200
    listed = client.get("/discussion/").content.decode()
    assert "/discussion/community/" in listed and "/discussion/district-hartford/" not in listed


def test_the_learner_registers_for_a_statewide_session_but_not_a_districts(client, learner, trainer, orgs):
    first = timezone.localdate() + timedelta(days=1)
    common = dict(kind=Kind.CONNECTION, capacity=5, first_date=first, start_time=time(18, 0),
                  duration_minutes=60, repeat=Repeat.ONCE, weekday=first.weekday(), last_date=first,
                  join_link="https://meet.example.org/connection")
    statewide = session_services.series_create(by=trainer.user, title="LEAP 101 live practice",
                                               audience=Audience.ALL, **common)
    hartford = session_services.series_create(by=trainer.user, title="Hartford only", audience=Audience.DISTRICT,
                                              district=orgs["Hartford"], **common)
    client.force_login(learner)
    assert "LEAP 101 live practice" in client.get("/sessions/").content.decode()
    url = f"/sessions/{statewide.pk}/{occurrence_key(statewide.event.start)}/"
    assert client.get(url).status_code == 200
    assert "your seat is confirmed" in client.post(url + "register/", follow=True).content.decode()
    assert audience_refusal(series=hartford, viewer=viewer_for(learner)) == "This session is for Hartford staff only."
    url = f"/sessions/{hartford.pk}/{occurrence_key(hartford.event.start)}/"
    assert client.post(url + "register/").status_code in (403, 404)
    assert list(Registration.objects.filter(person__user=learner).values_list("occurrence__series_id",
                                                                               flat=True)) == [statewide.pk]


def test_the_learner_earns_and_downloads_a_certificate(client, learner, leap):
    certify(learner.person, leap)
    certificate = Certificate.objects.get(person__user=learner)
    client.force_login(learner)
    response = client.get(f"/training/certificates/{certificate.code}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
