"""A certificate follows from what happened, in order, never from a request (issue 13).

The outside run found that after a trainer revoked a visitor's LEAP 101 certificate, the visitor posted
"complete" again for the refresher modules (no new answers) and a new two-year certificate was issued at
once; replayed completions were accepted and rewrote `completed_at`.
"""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses import errors, services
from courses.demo import complete_module
from courses.models import Certificate, ModuleCompletion, Renewal
from courses.selectors import State, certification_status
from hub.reasons import describe
from hub.roles import TRAINER

pytestmark = pytest.mark.django_db


def practise(person, now=None):
    services.practice_credit_record(person=person, course_code="LEAP-101", source="test", source_ref=f"p{person.pk}",
                                    attended_on=date.today(), now=now)


def status(person):
    return certification_status(person=person, course_code="LEAP-101")


@pytest.fixture
def trainer(make_person):
    return make_person("tomas", roles=[TRAINER], first_name="Tomás", last_name="Rivera")


@pytest.fixture
def certified(visitor, course, modules, finish_course):
    finish_course(visitor, course, modules)
    practise(visitor)
    assert status(visitor).state == State.CERTIFIED
    return visitor


def revoke(person, by):
    certificate = Certificate.objects.get(person=person)
    services.certificate_revoke(certificate=certificate, by=by.user, reason="Left the visiting team")
    return certificate


def test_completing_the_refresher_again_after_a_revocation_brings_nothing_back(certified, trainer, modules):
    revoke(certified, trainer)
    for module in modules:  # the same posts the visitor made the first time, answers and all
        complete_module(certified, module, None)
    assert Certificate.objects.filter(person=certified).count() == 1
    assert status(certified).state == State.REVOKED


def test_a_replayed_completion_post_changes_nothing(certified, trainer, modules):
    first = {c.module_id: c.completed_at for c in ModuleCompletion.objects.filter(person=certified)}
    revoke(certified, trainer)
    client = Client()
    client.force_login(certified.user)
    for module in modules:
        response = client.post(reverse("courses:module_complete", args=[module.pk]))
        assert response.status_code == 302
    assert {c.module_id: c.completed_at for c in ModuleCompletion.objects.filter(person=certified)} == first
    assert Certificate.objects.filter(person=certified).count() == 1 and status(certified).state == State.REVOKED


def test_a_visitor_cannot_open_their_own_renewal_after_a_revocation(certified, trainer, course):
    revoke(certified, trainer)
    with pytest.raises(errors.CertificateError, match="trainer"):
        services.renewal_start(person=certified, course=course)
    assert not Renewal.objects.exists()


def test_the_refusal_says_who_revoked_it_and_who_to_ask(certified, trainer):
    revoke(certified, trainer)
    own = describe(status(certified).reasons)
    assert own[0].startswith("Your LEAP 101 certificate was revoked on ") and own[0].endswith("by Tomás Rivera.")
    assert "Ask a Hub trainer" in own[1]
    about = describe(status(certified).reasons, about="Ana Ruiz")
    assert about[0].startswith("Ana Ruiz's LEAP 101 certificate was revoked")


def test_a_renewal_a_trainer_opens_needs_the_checks_passed_again(certified, trainer, course, modules):
    revoke(certified, trainer)
    renewal = services.renewal_open(person=certified, course=course, by=trainer.user, reason="Back on the team")
    # Completing without passing the check again is refused: the old pass does not count.
    with pytest.raises(errors.ChecksNotPassed, match="again"):
        services.module_complete(person=certified, module_id=modules[0].pk)
    assert describe(status(certified).reasons)[1] == ("Your LEAP 101 renewal is open: finish Module 1, passing "
                                                      "their knowledge checks again.")
    complete_module(certified, modules[0], None)  # answers the check again, then completes
    assert status(certified).state == State.CERTIFIED
    renewed = Certificate.objects.filter(person=certified).order_by("-issued_at").first()
    assert renewed.renewal_id == renewal.pk
    renewal.refresh_from_db()
    assert renewal.closed_at is not None


def test_reinstating_brings_the_certificate_back_until_its_own_expiry(certified, trainer):
    certificate = revoke(certified, trainer)
    services.certificate_reinstate(certificate=certificate, by=trainer.user, reason="Revoked by mistake")
    assert status(certified).state == State.CERTIFIED and status(certified).valid_until == certificate.valid_until
    with pytest.raises(errors.CertificateError, match="not revoked"):
        services.certificate_reinstate(certificate=certificate, by=trainer.user, reason="again")
    services.certificate_revoke(certificate=certificate, by=trainer.user, reason="Revoked again, for real")
    assert status(certified).state == State.REVOKED


@pytest.mark.parametrize("action", ["revoke", "reinstate", "renewal_open"])
def test_only_trainers_and_state_staff_change_a_certificate(certified, course, action):
    certificate = Certificate.objects.get(person=certified)
    with pytest.raises(errors.CertificateError, match="Only Hub trainers"):
        if action == "renewal_open":
            services.renewal_open(person=certified, course=course, by=certified.user, reason="mine")
        else:
            getattr(services, f"certificate_{action}")(certificate=certificate, by=certified.user, reason="mine")
    assert status(certified).state == State.CERTIFIED


def test_the_certificates_page_reinstates_and_opens_a_renewal(certified, trainer, course):
    certificate = revoke(certified, trainer)
    client = Client()
    client.force_login(trainer.user)
    client.post(reverse("courses:certificate_renewal_open", args=[certificate.code]), {"reason": "Back on the team"})
    assert Renewal.objects.get(person=certified).opened_by == trainer.user
    client.post(reverse("courses:certificate_reinstate", args=[certificate.code]), {"reason": "It was a mistake"})
    assert status(certified).state == State.CERTIFIED
    visitor = Client()
    visitor.force_login(certified.user)
    visitor.post(reverse("courses:certificate_revoke", args=[certificate.code]), {"reason": "mine"})
    assert visitor.post(reverse("courses:certificate_revoke", args=[certificate.code]),
                        {"reason": "mine"}).status_code == 403
    assert status(certified).state == State.CERTIFIED


def test_an_expired_visitor_renews_on_their_own_with_the_checks_again(visitor, course, modules, finish_course):
    long_ago = timezone.now() - relativedelta(months=25)
    finish_course(visitor, course, modules, when=long_ago)
    practise(visitor, now=long_ago)
    assert status(visitor).state == State.EXPIRED
    assert describe(status(visitor).reasons)[1] == ("To renew, start the LEAP 101 renewal on My training and take "
                                                    "Module 1 again.")
    client = Client()
    client.force_login(visitor.user)
    client.post(reverse("courses:renewal_start", args=[course.pk]))
    assert Renewal.objects.filter(person=visitor, opened_by=None).exists()
    complete_module(visitor, modules[0], None)
    assert status(visitor).state == State.CERTIFIED
    assert status(visitor).valid_until > timezone.now() + timedelta(days=700)


def test_my_training_says_what_is_left_in_the_visitors_words(visitor, course, modules, finish_course):
    finish_course(visitor, course, modules[:1])
    client = Client()
    client.force_login(visitor.user)
    page = client.get(reverse("courses:my_training")).content.decode()
    assert "You still have 2 LEAP 101 modules to finish: Module 2 and Module 3." in page
    assert "You still need to attend a LEAP 101 live practice session." in page
