import io

import pytest

from tests.coordinators.conftest import coordinator, coordinator_nh, hartford, school  # noqa: F401 - shared fixtures

HEADER = "student_id,first_name,last_initial,grade,school,home_language,days_enrolled,days_absent,referral_reason\n"


def case_rows(n: int, *, start: int = 1) -> str:
    return "".join(f"J-{i},Maya,L,4,Parkville Community School,Spanish,50,8,Mornings\n"
                   for i in range(start, start + n))


def case_file(text: str, name: str = "cases.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.fixture
def held(monkeypatch):
    """Jobs started while this is in use are queued but not run (as when the worker is busy): returns
    the list of (job id, attempt) queued."""
    from hub.jobs import services

    queued = []
    monkeypatch.setattr(services, "_enqueue", lambda *args: queued.append(args))
    return queued


@pytest.fixture
def binary():
    return io.BytesIO
