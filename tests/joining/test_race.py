"""Two acceptances of the same invitation at the same moment make one account (PostgreSQL: a row lock on
the invitation; the second waits, then finds it used)."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from hub.joining import services
from hub.joining.models import Invitation
from hub.roles import VISITOR
from tests.double_submit import at_once
from tests.support import require_postgres


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_once_make_one_account(orgs, make_person, django_capture_on_commit_callbacks):
    require_postgres(connection)
    from hub.roles import COORDINATOR

    carla = make_person("carla", roles=(COORDINATOR,), home_district=orgs["Hartford"])
    invitation = services.invitation_create(by=carla.user, data=services.InvitationData(
        email="race@example.org", name="Rae Race", role=VISITOR, district=orgs["Hartford"]))
    token, invitation.token_hash = services._new_token()
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=invitation.token_hash)

    def accept(i):
        return services.invitation_accept(token=token, name=f"Rae {i}", language="en",
                                          password="kitchen-table-visits-42").pk

    results, failures = at_once(4, accept)
    assert len(results) == 1, (results, failures)
    assert len(failures) == 3 and all("LinkUnusable" in f for f in failures), failures
    assert get_user_model().objects.filter(email="race@example.org").count() == 1
    assert Invitation.objects.get(pk=invitation.pk).account_id == results[0]
