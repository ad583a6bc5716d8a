"""The job pages: the import form sends the coordinator to the job's page, which shows the progress bar
(JavaScript polls the status; without it the page refreshes), then the row errors or the file; only
the job's owner reaches any of it."""

import csv
import io

import pytest
from django.urls import reverse

from hub.jobs import services
from hub.jobs.models import Job, State
from tests.jobs.conftest import HEADER, case_file, case_rows

pytestmark = pytest.mark.django_db

BAD_ROW = "J-9,Maya,Lopez,4,Parkville Community School,Spanish,50,8,\n"


def test_an_import_redirects_to_its_job_whose_page_lists_the_row_errors(client, coordinator, school):
    client.force_login(coordinator.user)
    response = client.post(reverse("coordinators:case_import"), {"file": case_file(HEADER + case_rows(2) + BAD_ROW)})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert '<progress id="job-progress" aria-labelledby="job-progress-label" max="3" value="3">' in page
    assert "3 of 3 rows, 1 error" in page and "2 added" in page
    assert '<th scope="row">4</th><td>Give only the last initial' in page
    assert "job_progress.js" not in page and "refresh" not in page  # finished: nothing polls
    listing = client.get(reverse("jobs:list")).content.decode()
    assert "Import of student cases (cases.csv)" in listing and "3 of 3 rows, 1 error" in listing


def test_a_waiting_job_polls_with_a_static_script_and_refreshes_without_one(client, coordinator, hartford, held):
    job = services.job_start(kind="cases.import", owner=coordinator.user, district=hartford,
                             file=case_file(HEADER + case_rows(2)))
    client.force_login(coordinator.user)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert 'src="/static/jobs/job_progress.js" defer></script>' in page and "<script>" not in page
    assert f'data-status-url="/jobs/{job.pk}/status"' in page and "<progress id=\"job-progress\"" in page
    status = client.get(reverse("jobs:status", args=[job.pk]))
    assert status.json() == {"state": "queued", "state_label": "Waiting for the worker", "done": False,
                             "rows_done": 0, "rows_total": None, "errors_count": 0, "text": "0 rows, 0 errors so far",
                             "notice": ""}
    assert status["Cache-Control"] == "no-store, private"


def test_the_status_endpoint_answers_in_a_fixed_number_of_queries(client, coordinator, hartford, held,
                                                                   django_assert_num_queries):
    job = services.job_start(kind="cases.import", owner=coordinator.user, district=hartford,
                             file=case_file(HEADER + case_rows(2)))
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, rows_done=1200, rows_total=5000, errors_count=3)
    client.force_login(coordinator.user)
    client.get(reverse("jobs:status", args=[job.pk]))  # the session is warm
    # the session, the user, their two-step device and roles (every staff page), the job; its heartbeat
    # is recent, so no check for a stopped worker
    with django_assert_num_queries(5):
        status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["text"] == "1,200 of 5,000 rows, 3 errors so far"


def test_another_coordinator_gets_404_for_the_job_its_status_and_its_file(
        client, coordinator, coordinator_nh, school, settings):
    settings.JOB_EXPORT_DIRECT_ROWS = 1
    client.force_login(coordinator.user)
    client.post(reverse("coordinators:case_import"), {"file": case_file(HEADER + case_rows(3))})
    confirm = client.get(reverse("coordinators:case_export"))
    assert confirm.status_code == 200 and "This export has 3 rows" in confirm.content.decode()
    response = client.post(reverse("coordinators:case_export"))
    job = Job.objects.get(kind="cases.export")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk]) and job.state == State.FINISHED
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "no-store, private"
    assert 'attachment; filename="student-cases-' in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "student_id" and sorted(r[0] for r in rows[1:]) == ["J-1", "J-2", "J-3"]

    client.force_login(coordinator_nh.user)
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404, name
    assert "student-cases" not in client.get(reverse("jobs:list")).content.decode()


def test_a_file_refused_whole_is_a_form_error_at_once_and_queues_nothing(client, coordinator, school):
    client.force_login(coordinator.user)
    response = client.post(reverse("coordinators:case_import"), {"file": case_file("name,age\nx,1\n")})
    assert response.status_code == 400 and "The columns are wrong" in response.content.decode()
    assert not Job.objects.exists()


def test_the_owner_looking_at_a_job_whose_worker_stopped_resumes_it(client, coordinator, hartford, school, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    worker = {"up": False}
    enqueue = services._enqueue
    monkeypatch.setattr(services, "_enqueue", lambda *args: enqueue(*args) if worker["up"] else None)
    job = services.job_start(kind="cases.import", owner=coordinator.user, district=hartford,
                             file=case_file(HEADER + case_rows(4)))
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, rows_done=2, updated_at=timezone.now() - timedelta(hours=1))
    worker["up"] = True  # the worker is back: the resumed run happens at once (immediate backend)
    client.force_login(coordinator.user)
    response = client.get(reverse("jobs:status", args=[job.pk]))
    assert response.status_code == 200, response.content.decode()[:3000]
    status = response.json()
    assert status["state"] == "finished" and status["text"] == "4 of 4 rows, 0 errors"
    assert "The worker stopped after 2 rows" in status["notice"]
    assert "The worker stopped after 2 rows" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()


def test_the_progress_reads_in_spanish(client, coordinator, hartford, held):
    job = services.job_start(kind="cases.import", owner=coordinator.user, district=hartford,
                             file=case_file(HEADER + case_rows(2)))
    Job.objects.filter(pk=job.pk).update(state=State.RUNNING, rows_done=1, rows_total=2, errors_count=1)
    client.force_login(coordinator.user)
    client.cookies["django_language"] = "es"
    page = client.get(reverse("jobs:detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Importación de casos de estudiantes" in page and "1 de 2 filas, 1 error hasta ahora" in page
    assert "Mis tareas recientes" in page


def test_a_staff_list_job_lists_the_addresses_that_already_have_an_account(client, coordinator, make_person):
    make_person("ana", first_name="Ana")
    client.force_login(coordinator.user)
    text = ("name,email,school_or_partner,role,language\n"
            "Lena Park,lena@example.org,,Visitor,en\nAna Again,ana@example.org,,Visitor,en\n")
    response = client.post(reverse("joining:import"), {"file": case_file(text, "staff.csv"),
                                                       "district": coordinator.home_district_id}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[0][0].startswith("/jobs/") and "1 invited" in page
    assert "Already have an account (no invitation sent: they can sign in)" in page
    assert '<th scope="row">3</th><td>ana@example.org</td><td>ana</td>' in page
