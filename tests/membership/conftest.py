"""Account life runs on the coordinators' world: LEAP 101, a Hartford coordinator (Carla), a New Haven one
(Dwayne), certified visitors, a case assigned to Marcus and Luis."""

import pytest

from coordinators import services as coordinator_services
from tests.coordinators.conftest import *  # noqa: F403 - the coordinators' fixtures
from tests.coordinators.conftest import make_case


@pytest.fixture
def assigned_case(hartford, school, coordinator, marcus, luis):
    case = make_case(hartford, school, coordinator)
    coordinator_services.case_assign(case=case, visitors=[marcus, luis], by=coordinator.user)
    return case


@pytest.fixture
def new_haven(orgs):
    return orgs["New Haven"]
