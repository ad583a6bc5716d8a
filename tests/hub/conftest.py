import pytest


@pytest.fixture(scope="session")
def upgraded(tmp_path_factory):
    """A database made before the models moved, upgraded once for every move's test (tests.hub.upgrades)."""
    from tests.hub.upgrades import upgrade_once

    return upgrade_once(tmp_path_factory.mktemp("upgrade"))
