"""Which language the Hub writes to a person in (`hub.selectors.language_of`): their own choice first,
then the language they joined in, then the one site language they speak, else the site's default."""

import pytest
from wagtail.users.models import UserProfile

from hub.joining.models import Invitation
from hub.models import Language
from hub.roles import VISITOR
from hub.selectors import language_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def speaks(orgs):
    return lambda *codes: tuple(Language.objects.filter(code__in=codes))


def test_the_one_site_language_a_person_speaks_is_theirs_and_two_or_none_give_the_default(make_person, speaks):
    assert language_of(make_person("a", roles=(VISITOR,), languages=speaks("es", "pt")).user) == "es"
    assert language_of(make_person("b", roles=(VISITOR,), languages=speaks("en", "es")).user) == "en"
    assert language_of(make_person("c", roles=(VISITOR,)).user) == "en"
    assert language_of(None) == "en"


def test_the_language_they_accepted_their_invitation_in_comes_before_the_languages_they_speak(
        make_person, speaks, orgs):
    person = make_person("d", roles=(VISITOR,), languages=speaks("en", "es"))
    from django.utils import timezone

    Invitation.objects.create(email="d@example.org", name="D", role=VISITOR, language="es", token_hash="x" * 64,
                              expires_at=timezone.now(), state=Invitation.State.ACCEPTED, accepted_at=timezone.now(),
                              account=person.user)
    assert language_of(person.user) == "es"


def test_a_language_chosen_in_the_account_preferences_comes_first(make_person, speaks):
    person = make_person("e", roles=(VISITOR,), languages=speaks("es"))
    UserProfile.objects.create(user=person.user, preferred_language="en")
    assert language_of(person.user) == "en"
