"""The record of privacy requests (`/privacy/requests/`): state staff read it; nobody else does."""

import pytest
from django.urls import reverse

from hub.privacy.selectors import subject_for_person
from hub.privacy.services import privacy_erase
from hub.roles import COORDINATOR, STATE_STAFF, TRAINER, VISITOR

pytestmark = pytest.mark.django_db
URL = "/privacy/requests/"


def test_the_address_is_the_privacy_apps_own():
    assert reverse("privacy:requests") == URL


def test_state_staff_see_every_request_by_reference_never_by_name(client, orgs, make_person):
    nadia = make_person("nadia", roles=(VISITOR,), home_district=orgs["Hartford"], first_name="Nadia",
                        last_name="Haque")
    privacy_erase(subject=subject_for_person(username="nadia"), operator="Jo Lee, ticket 42", confirm=False)
    client.force_login(make_person("samira", roles=(STATE_STAFF,)).user)
    page = client.get(URL, {"page": "1"}).content.decode()
    assert "Jo Lee, ticket 42" in page and "Dry run (nothing changed)" in page and "Erasure" in page
    assert "Haque" not in page and nadia.user.email not in page


def test_a_page_number_that_is_no_number_is_a_400_that_names_it(client, orgs, make_person):
    client.force_login(make_person("samira", roles=(STATE_STAFF,)).user)
    response = client.get(URL, {"page": "\x00"})
    assert response.status_code == 400
    assert "Page (page)" in response.content.decode()


@pytest.mark.parametrize("role", [VISITOR, COORDINATOR, TRAINER])
def test_other_roles_are_refused_with_a_reason(client, orgs, make_person, role):
    client.force_login(make_person(roles=(role,), home_district=orgs["Hartford"]).user)
    response = client.get(URL)
    assert response.status_code == 403
    assert "Only state staff" in response.content.decode()


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
