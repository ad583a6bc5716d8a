"""Two trainers approving the same learner at the same moment make one approval (PostgreSQL: a row lock
on the request; the second waits, then is told who decided), and two sign-ups with one address at the
same moment make one account."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from hub.audit.models import AuditEntry
from hub.joining import services
from hub.joining.models import LearnerRequest
from hub.outbox.models import Message
from hub.roles import STATE_STAFF, TRAINER
from tests.double_submit import at_once
from tests.support import require_postgres


def data(**changes):
    fields = dict(name="Rae Race", email="rae@elsewhere.example.org", organisation="Elsewhere Schools",
                  region="Ontario", country="Canada", password="porch-light-visits-42")
    fields.update(changes)
    return services.LearnerData(**fields)


@pytest.mark.django_db(transaction=True)
def test_two_trainers_approving_at_once_make_one_approval(make_person):
    require_postgres(connection)
    deciders = [make_person("tomas", roles=(TRAINER,)), make_person("grace", roles=(TRAINER,)),
                make_person("samira", roles=(STATE_STAFF,))]
    request = services.learner_signup(data=data()).request

    def approve(i):
        return services.learner_approve(learner_request=request, by=deciders[i].user).decided_by_id

    results, failures = at_once(3, approve)
    assert len(results) == 1, (results, failures)
    assert len(failures) == 2 and all("AlreadyDecided" in f for f in failures), failures
    request.refresh_from_db()
    assert request.state == "approved" and request.decided_by_id == results[0] and request.account.is_active
    assert AuditEntry.objects.filter(action="joining.learner_approve").count() == 1
    assert Message.objects.filter(key=f"learner:{request.pk}:approved").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_approval_and_a_refusal_at_once_make_one_decision(make_person):
    require_postgres(connection)
    tomas, grace = make_person("tomas", roles=(TRAINER,)), make_person("grace", roles=(TRAINER,))
    request = services.learner_signup(data=data()).request

    def decide(i):
        if i == 0:
            return services.learner_approve(learner_request=request, by=tomas.user).state
        return services.learner_refuse(learner_request=request, by=grace.user, reason="dup").state

    results, failures = at_once(2, decide)
    assert len(results) == 1 and len(failures) == 1 and "AlreadyDecided" in failures[0], (results, failures)
    request.refresh_from_db()
    assert request.state == results[0]
    assert AuditEntry.objects.filter(action__in=["joining.learner_approve", "joining.learner_refuse"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_address_signing_up_four_times_at_once_makes_one_account(db):
    require_postgres(connection)

    def signup(i):
        return services.learner_signup(data=data(name=f"Rae {i}", email="RAE@elsewhere.example.org")).created

    results, failures = at_once(4, signup)
    assert not failures, failures
    assert results.count(True) == 1
    assert get_user_model().objects.filter(email="rae@elsewhere.example.org").count() == 1
    assert LearnerRequest.objects.count() == 1
