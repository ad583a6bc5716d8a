"""One normal form for names (NFC) and one folding for searches, the same in Python and in the database
(hub/text.py). The searches themselves are walked in tests/hostile/test_search_forms.py."""

import unicodedata

import pytest

from hub.text import Folded, fold, normalise_name, normalise_search

NFD_JOSE = unicodedata.normalize("NFD", "José")


def test_a_name_is_stored_in_nfc_with_its_outer_spaces_removed():
    assert NFD_JOSE != "José"
    assert normalise_name(f"  {NFD_JOSE} ") == "José"
    assert normalise_name("Ana\x00Ruiz") == "Ana\x00Ruiz"  # left for the validation that refuses it


@pytest.mark.parametrize(("typed", "folded"), [
    ("JOSÉ", "josé"), (NFD_JOSE, "josé"), (unicodedata.normalize("NFD", "ÑANDÚ"), "ñandú"),
    ("  Ana \t  Ruiz\n", "ana ruiz"), ("Ana\x00Ruiz", "anaruiz"), ("Ana\u202eRuiz", "anaruiz"),
    ("Ana\u200bRuiz", "anaruiz"), ("x" * 500, "x" * 200),
])
def test_a_query_is_folded_to_nfc_lower_case_without_controls_and_with_one_space(typed, folded):
    assert normalise_search(typed) == folded


def test_the_column_folding_is_the_query_folding_without_the_clean_up():
    assert fold(NFD_JOSE.upper()) == "josé" == normalise_search(NFD_JOSE.upper())


@pytest.mark.django_db
@pytest.mark.parametrize("stored", ["José", NFD_JOSE, "JOSÉ", unicodedata.normalize("NFD", "JOSÉ")])
def test_the_database_folds_a_column_as_python_folds_a_query(stored):
    """On SQLite the folding is a registered Python function; on PostgreSQL lower(normalize(...))."""
    from hub.models import Region

    Region.objects.create(name=stored, code="r1")
    assert Region.objects.annotate(folded=Folded("name")).get().folded == "josé"
    assert Region.objects.alias(folded=Folded("name")).filter(folded__contains=normalise_search("JOSÉ")).exists()


@pytest.mark.django_db
def test_the_data_migrations_bring_stored_names_to_nfc_and_change_nothing_the_second_time(orgs, make_person):
    """hub 0005 (people's names), coordinators 0003 (students' first names), roundtable 0002 (families'
    names), run on rows written in NFD (straight to the table, as an admin edit or an older row)."""
    from datetime import timedelta
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from coordinators.models import StudentCase
    from hub.roles import COORDINATOR, TRAINER
    from roundtable import services as roundtable
    from roundtable.models import FamilySignup, Format
    from tests.coordinators.conftest import make_case

    User = get_user_model()
    nunez = unicodedata.normalize("NFD", "Núñez")
    person = make_person("jose", home_district=orgs["Hartford"])
    User.objects.filter(pk=person.user_id).update(first_name=NFD_JOSE, last_name=nunez)
    carla = make_person("carla", roles=(COORDINATOR,), home_district=orgs["Hartford"])
    case = make_case(orgs["Hartford"], orgs["Hartford"].schools.first(), carla, ref="S-9", first="Ana")
    StudentCase.objects.filter(pk=case.pk).update(first_name=NFD_JOSE)
    starts = timezone.now() + timedelta(days=7)
    table = roundtable.roundtable_create(
        by=make_person("tomas", roles=(TRAINER,)).user, starts_at=starts, ends_at=starts + timedelta(hours=2),
        capacity=5, title_en="Every day", title_es="Cada día", format=Format.VIRTUAL,
        join_link="https://meet.example.org/r", languages=["en"])
    signup = roundtable.signup_create(roundtable=table, name="Family", email="f@example.org", consent=True).signup
    FamilySignup.objects.filter(pk=signup.pk).update(name=f"{NFD_JOSE} {nunez}")

    migrations = [import_module(name) for name in (
        "hub.migrations.0006_person_names_nfc", "coordinators.migrations.0006_case_names_nfc",
        "roundtable.migrations.0003_signup_names_nfc")]
    for _ in range(2):
        for migration in migrations:
            migration.names_to_nfc(apps, None)
        assert User.objects.values_list("first_name", "last_name").get(pk=person.user_id) == ("José", "Núñez")
        assert StudentCase.objects.get(pk=case.pk).first_name == "José"
        assert FamilySignup.objects.get(pk=signup.pk).name == "José Núñez"


@pytest.mark.django_db
def test_names_saved_through_the_services_are_stored_in_nfc(orgs, make_person):
    from hub.roles import COORDINATOR
    from tests.coordinators.conftest import make_case

    person = make_person("jose", first_name=NFD_JOSE, last_name=unicodedata.normalize("NFD", "Núñez"))
    assert (person.user.first_name, person.user.last_name) == ("José", "Núñez")
    carla = make_person("carla", roles=(COORDINATOR,), home_district=orgs["Hartford"])
    case = make_case(orgs["Hartford"], orgs["Hartford"].schools.first(), carla, ref="S-9", first=NFD_JOSE)
    assert case.first_name == "José"
