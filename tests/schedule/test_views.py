"""The scheduled jobs page (/schedule/): who sees it, what it shows of each job (missed, failed, what the
last run did), and "run now"."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from hub.roles import COORDINATOR, REGIONAL_STAFF, STATE_STAFF, TRAINER, VISITOR
from hub.schedule import services
from hub.schedule.models import Run, State
from hub.schedule.registry import jobs

pytestmark = pytest.mark.django_db

PAGE = "/schedule/"


@pytest.fixture
def people(make_person, orgs):
    hartford = orgs["Hartford"]
    return {
        "ana": make_person("ana", roles=(VISITOR,), home_district=hartford),
        "carla": make_person("carla", roles=(COORDINATOR,), home_district=hartford),
        "rita": make_person("rita", roles=(REGIONAL_STAFF,), region=hartford.region),
        "tomas": make_person("tomas", roles=(TRAINER,)),
        "samira": make_person("samira", roles=(STATE_STAFF,)),
    }


def test_the_page_is_for_staff_state_staff_and_superusers_and_its_link_is_in_their_navigation(client, people):
    assert reverse("scheduled:list") == PAGE
    root = User.objects.create_superuser("root", "root@example.org", "a-long-test-password")
    for user in (people["tomas"].user, people["samira"].user, root):
        client.force_login(user)
        page = client.get(PAGE)
        assert page.status_code == 200, user
        assert f'href="{PAGE}"' in page.content.decode()
    for who in ("ana", "carla", "rita"):
        client.force_login(people[who].user)
        assert client.get(PAGE).status_code == 403
        assert client.post(reverse("scheduled:run_now", args=["send_session_reminders"])).status_code == 403
        assert f'href="{PAGE}"' not in client.get("/").content.decode()
    assert not Run.objects.exists()
    client.logout()
    assert client.get(PAGE)["Location"].startswith(reverse("login"))


def test_each_job_shows_its_schedule_last_run_and_a_missed_slot(client, people, on_commit_at_once):
    now = timezone.now()
    services.schedule_tick(now=now - timedelta(days=3))  # the beat ran three days ago, then stopped
    Run.objects.filter(job="purge_closed_cases").update(state=State.FAILED, summary="",
                                                        error="PrivacyError: the registry refused")
    client.force_login(people["samira"].user)
    text = client.get(PAGE).content.decode()
    for words in ("Session reminders", "Every hour", "Every day at 07:30", "Every day at 02:15",
                  "manage.py purge_closed_cases", "0 reminders queued", "PrivacyError: the registry refused",
                  "catches up", "Run now"):
        assert words in text, words
    # three days without a run: every job missed its latest time (one of them failed too)
    assert text.count('class="badge badge-missed"') == len(jobs())


def test_run_now_queues_the_job_once_and_a_second_click_says_it_is_already_queued(client, people):
    client.force_login(people["tomas"].user)
    url = reverse("scheduled:run_now", args=["send_session_reminders"])
    first = client.post(url, follow=True)
    assert "is queued: a worker runs it shortly" in first.content.decode()
    second = client.post(url, follow=True)
    assert "already queued or running" in second.content.decode()
    [run] = Run.objects.all()
    assert (run.job, run.state, run.requested_by) == ("send_session_reminders", State.QUEUED, people["tomas"].user)
    page = client.get(PAGE).content.decode()
    assert "Queued or running" in page
    assert client.get(url).status_code == 405
    assert client.post(reverse("scheduled:run_now", args=["no_such_job"])).status_code == 404


def test_the_page_in_spanish(client, people):
    client.force_login(people["samira"].user)
    text = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Tareas programadas" in text and "Cada hora" in text and "Recordatorios de sesiones" in text
