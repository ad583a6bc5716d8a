"""People and series for the sessions tests, built through the services."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from hub.models import School
from hub.roles import COORDINATOR, TRAINER, VISITOR
from sessions import services
from sessions.models import Audience, Kind, Repeat


@pytest.fixture
def trainer(orgs, home_page, make_person):
    return make_person("tomas", roles=[TRAINER])


@pytest.fixture
def visitor(orgs, home_page, make_person):
    return make_person("ana", roles=[VISITOR], school=School.objects.get(name="Burns Latino Studies Academy"))


@pytest.fixture
def coordinator(orgs, home_page, make_person):
    return make_person("carla", roles=[COORDINATOR], home_district=orgs["Hartford"])


@pytest.fixture
def visitors(orgs, home_page, make_person):
    school = School.objects.get(name="Parkville Community School")
    return [make_person(f"visitor{n}", roles=[VISITOR], school=school) for n in range(6)]


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


@pytest.fixture
def make_series(trainer):
    """make_series(capacity=2, repeat=..., ...) -> Series starting tomorrow at 6 pm New York time."""

    def make(**spec):
        first = spec.pop("first_date", tomorrow())
        defaults = dict(
            kind=Kind.CONNECTION, title="Connection Session", capacity=2, first_date=first,
            start_time=time(18, 0), duration_minutes=60, repeat=Repeat.WEEKLY, weekday=first.weekday(),
            last_date=first + timedelta(weeks=8), audience=Audience.ALL,
            join_link="https://meet.example.org/connection",
        )
        defaults.update(spec)
        return services.series_create(by=trainer.user, **defaults)

    return make

