"""`seed_demo` builds a believable demo once, and refuses to run in production."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from hub.models import District, Partner, Person, Region, School
from hub.roles import ALL_ROLES, roles_of

pytestmark = pytest.mark.django_db


def counts():
    return {m.__name__: m.objects.count() for m in (Region, District, School, Partner, Person, get_user_model())}


def test_seed_demo_creates_the_regions_districts_and_people_in_every_role_once(settings, capsys):
    settings.HUB_ALLOW_DEMO_DATA = True
    call_command("seed_demo")
    first = counts()
    assert first["Region"] == 6 and first["District"] == 15
    assert District.objects.get(name="Windham").region.name == "EASTCONN"
    held = set().union(*(roles_of(p.user) for p in Person.objects.select_related("user")))
    assert held == set(ALL_ROLES)
    out = capsys.readouterr().out
    assert "coordinator" in out and "leap-demo-2026" in out
    call_command("seed_demo")
    assert counts() == first


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.HUB_ALLOW_DEMO_DATA = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo")
    assert Person.objects.count() == 0
