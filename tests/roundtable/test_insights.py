"""Insights: a text that names a family signed up for the roundtable is held back with a warning until the
organiser rewrites it or confirms it identifies nobody; any organiser edits and deletes insights (deleting
asks first; both audited); the form is safe to send twice."""

import uuid

import pytest
from django.urls import reverse

from hub.audit.models import AuditEntry
from roundtable import errors, services
from roundtable.models import Insight
from roundtable.names import mentions

pytestmark = pytest.mark.django_db


@pytest.fixture
def evening(make_roundtable, family):
    """A roundtable that started a quarter of an hour ago, with Rosa Méndez and Jean-Pierre Louis signed up."""
    rt = make_roundtable(days=-0.01, capacity=10)
    services.signup_create(roundtable=rt, **family(1, name="Rosa Méndez"))
    services.signup_create(roundtable=rt, **family(2, name="Jean-Pierre Louis"))
    return rt


def add(client, rt, text, **extra):
    return client.post(reverse("roundtable:insight_add", args=[rt.pk]),
                       {"tag": "barrier", "kind": "quote", "text": text, **extra})


# -- naming a family -------------------------------------------------------------------------------------

def test_a_quote_naming_a_signed_up_family_is_held_back_with_a_warning_naming_what_matched(
        client, evening, organiser):
    client.force_login(organiser.user)
    response = add(client, evening, "Rosa Méndez said the bus never comes on time")
    assert response.status_code == 400 and not Insight.objects.exists()
    page = response.content.decode()
    assert "“Rosa Méndez”" in page and "I have checked this does not identify a family" in page
    assert "Rosa Méndez said the bus never comes on time" in page  # the text is kept for rewriting


def test_ticking_the_box_records_it_and_the_confirmation_is_audited(client, evening, organiser):
    client.force_login(organiser.user)
    response = add(client, evening, "Louis the driver waits for the kids", anonymity_confirmed="on")
    assert response.status_code == 302 and Insight.objects.get().text == "Louis the driver waits for the kids"
    assert AuditEntry.objects.filter(action="insight.name_confirmed", actor=organiser.user).count() == 1


def test_a_rewritten_quote_without_names_is_recorded(client, evening, organiser):
    client.force_login(organiser.user)
    assert add(client, evening, "A mother said the bus never comes on time").status_code == 302
    assert Insight.objects.count() == 1 and not AuditEntry.objects.filter(action="insight.name_confirmed").exists()


@pytest.mark.parametrize("text", [
    "Rosa Méndez", "rosa mendez", "ROSA MÉNDEZ", "Méndez, Rosa", "Rosa  Méndez", "Rosa Me\u0301ndez",
    "Ｒｏｓａ Ｍéndez", "R o s a Méndez", "Rosa\u200bMéndez", "Rоsa Méndez", "R0sa M3ndez", "the Méndez family",
    "Méndez's kids", "Rosa told us", "jean pierre", "JEAN-PIERRE said", "the Louis family",
])
def test_a_familys_name_is_found_whatever_the_spelling(text):
    assert [m.name for m in mentions(text, ["Rosa Méndez", "Jean-Pierre Louis"])] != []


@pytest.mark.parametrize("text", [
    "The bus never comes on time", "One family said the school was far", "La familia dijo que la luz falla",
    "Hope and grace at the school", "rosary", "Mendoza", "de la Cruz Roja",
])
def test_everyday_words_and_other_names_raise_no_warning(text):
    assert mentions(text, ["Rosa Méndez", "Family One", "María de la Cruz", "Hope Grace"]) == []


def test_the_service_refuses_a_name_until_confirmed(evening, organiser):
    with pytest.raises(errors.InsightNamesFamily) as refused:
        services.insight_record(roundtable=evening, by=organiser.user, tag="barrier", kind="theme",
                                text="The Méndez family has no car")
    assert [m.matched for m in refused.value.mentions] == ["Méndez"] and not Insight.objects.exists()
    services.insight_record(roundtable=evening, by=organiser.user, tag="barrier", kind="theme",
                            text="The Méndez family has no car", anonymity_confirmed=True)
    assert Insight.objects.count() == 1


def test_sending_the_insight_form_twice_records_it_once(client, evening, organiser):
    client.force_login(organiser.user)
    token = str(uuid.uuid4())
    for _ in range(3):
        assert add(client, evening, "Buses are late", form_token=token).status_code == 302
    assert Insight.objects.count() == 1
    assert add(client, evening, "Buses are late", form_token=str(uuid.uuid4())).status_code == 302
    assert Insight.objects.count() == 2  # a new form is a new insight


def test_the_insight_form_carries_a_new_token_each_time_it_is_drawn(client, evening, organiser):
    client.force_login(organiser.user)
    pages = [client.get(reverse("roundtable:organise_detail", args=[evening.pk])).content.decode() for _ in range(2)]
    tokens = [p.split('name="form_token" value="')[1].split('"')[0] for p in pages]
    assert tokens[0] != tokens[1]


# -- editing and deleting --------------------------------------------------------------------------------

@pytest.fixture
def insight(evening, organiser):
    return services.insight_record(roundtable=evening, by=organiser.user, tag="barrier", kind="quote",
                                   text="The bus never comes")


def test_an_organiser_edits_an_insight_and_the_summary_shows_the_new_text(client, insight, state_staff):
    client.force_login(state_staff.user)  # another organiser than the one who recorded it
    url = reverse("roundtable:insight_edit", args=[insight.roundtable_id, insight.pk])
    assert "The bus never comes" in client.get(url).content.decode()
    response = client.post(url, {"tag": "helps", "kind": "theme", "text": "Walking groups help"})
    assert response.status_code == 302
    insight.refresh_from_db()
    assert (insight.tag, insight.kind, insight.text) == ("helps", "theme", "Walking groups help")
    assert "Walking groups help" in client.get(reverse("roundtable:insights")).content.decode()
    assert AuditEntry.objects.filter(action="insight.edit", actor=state_staff.user, object_id=str(insight.pk)).exists()


def test_an_edit_that_names_a_family_is_held_back_too(client, insight, organiser):
    client.force_login(organiser.user)
    url = reverse("roundtable:insight_edit", args=[insight.roundtable_id, insight.pk])
    response = client.post(url, {"tag": "barrier", "kind": "quote", "text": "Rosa said the bus never comes"})
    assert response.status_code == 400 and "“Rosa”" in response.content.decode()
    insight.refresh_from_db()
    assert insight.text == "The bus never comes"


def test_deleting_an_insight_asks_first_then_removes_it_from_the_summary_and_is_audited(
        client, insight, organiser):
    client.force_login(organiser.user)
    url = reverse("roundtable:insight_delete", args=[insight.roundtable_id, insight.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Delete this insight?" in page.content.decode()
    assert Insight.objects.filter(pk=insight.pk).exists()  # asking changes nothing
    assert client.post(url).status_code == 302
    assert not Insight.objects.filter(pk=insight.pk).exists()
    assert "The bus never comes" not in client.get(reverse("roundtable:insights")).content.decode()
    entry = AuditEntry.objects.get(action="insight.delete")
    assert entry.actor == organiser.user and "The bus never comes" not in entry.detail  # the text may name someone


@pytest.mark.parametrize("name", ["insight_edit", "insight_delete"])
def test_people_who_do_not_organise_may_not_edit_or_delete_insights(client, insight, coordinator, regional, name):
    url = reverse(f"roundtable:{name}", args=[insight.roundtable_id, insight.pk])
    for person in (coordinator, regional):
        client.force_login(person.user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"tag": "idea", "kind": "theme", "text": "Changed"}).status_code == 403
    insight.refresh_from_db()
    # (the people's roles and districts, set when the fixtures made them, are audited: no insight entry)
    assert insight.text == "The bus never comes" and not AuditEntry.objects.filter(action__startswith="insight")


@pytest.mark.parametrize("name", ["insight_edit", "insight_delete"])
def test_an_insight_through_another_roundtables_address_is_a_404(client, insight, organiser, make_roundtable, name):
    other = make_roundtable()
    client.force_login(organiser.user)
    for args in ([other.pk, insight.pk], [insight.roundtable_id, 987654]):
        assert client.post(reverse(f"roundtable:{name}", args=args), {"tag": "idea", "kind": "theme",
                                                                      "text": "Changed"}).status_code == 404
    assert Insight.objects.get(pk=insight.pk).text == "The bus never comes"
