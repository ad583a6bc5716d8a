"""Sign-ups through the shared capacity rule, cancelling, duplicates, validation (a refusal changes
nothing), check-in, insights and the purge of contact details."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from hub import capacity
from hub.capacity import SeatStatus
from roundtable import errors, selectors, services
from roundtable.models import FamilySignup, Insight

pytestmark = pytest.mark.django_db


def test_places_are_confirmed_while_they_last_then_families_wait_in_arrival_order(make_roundtable, family):
    rt = make_roundtable(capacity=2)
    results = [services.signup_create(roundtable=rt, **family(n)) for n in range(4)]
    assert [r.signup.status for r in results] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert all(r.created and r.token for r in results)
    assert selectors.position_of(results[3].signup) == 2


def test_roundtable_signups_use_the_one_shared_seat_rule(monkeypatch, make_roundtable, family):
    calls = []
    real = capacity.seat_take

    def spy(**kwargs):
        calls.append(kwargs["seat"])
        return real(**kwargs)

    monkeypatch.setattr(services, "seat_take", spy)
    services.signup_create(roundtable=make_roundtable(), **family())
    assert len(calls) == 1 and isinstance(calls[0], FamilySignup) and isinstance(calls[0], capacity.Seat)


def test_the_private_token_is_stored_only_as_a_hash(make_roundtable, family):
    result = services.signup_create(roundtable=make_roundtable(), **family())
    stored = FamilySignup.objects.get(pk=result.signup.pk)
    assert len(result.token) >= 32
    assert result.token not in stored.token_hash
    assert stored.token_hash == selectors.token_hash(result.token)
    assert selectors.signup_by_token(token=result.token).pk == stored.pk


def test_cancelling_frees_the_place_and_promotes_and_emails_the_next_family_in_their_language(
        make_roundtable, family, django_capture_on_commit_callbacks):
    rt = make_roundtable(capacity=1)
    first = services.signup_create(roundtable=rt, **family(1))
    second = services.signup_create(roundtable=rt, **family(2, preferred_language="es"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.signup_cancel(signup=first.signup)
    assert [s.pk for s in promoted] == [second.signup.pk]
    second.signup.refresh_from_db()
    assert second.signup.status == SeatStatus.CONFIRMED and second.signup.promoted_at
    cancelled, promoted_mail = mail.outbox
    assert cancelled.to == ["family1@example.org"] and cancelled.subject.startswith("Cancelled: ")
    assert promoted_mail.to == ["family2@example.org"]
    assert promoted_mail.subject.startswith("Se liberó un lugar para usted")
    assert "Llegar a la escuela cada día" in promoted_mail.body
    assert "ya no está en la lista de espera" in promoted_mail.alternatives[0][0]  # the HTML part, in Spanish too


def test_the_confirmation_email_carries_the_private_link_in_the_familys_language(
        make_roundtable, family, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.signup_create(roundtable=make_roundtable(), **family(preferred_language="es"))
    (message,) = mail.outbox
    assert message.subject == "Está inscrito: Llegar a la escuela cada día"
    assert f"/roundtables/s/{result.token}/" in message.body
    assert "hora de Nueva York" in message.body


def test_a_phone_only_family_gets_no_email_and_a_normalised_phone(make_roundtable, family,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.signup_create(roundtable=make_roundtable(), **family(email="", phone="+1 (860) 555-0142"))
    assert result.signup.phone == "8605550142"
    assert mail.outbox == []


def test_signing_up_twice_with_the_same_email_or_phone_returns_the_existing_signup(make_roundtable, family):
    rt = make_roundtable(capacity=5)
    first = services.signup_create(roundtable=rt, **family(1, phone="860-555-0142"))
    again_email = services.signup_create(roundtable=rt, **family(9, email=" FAMILY1@Example.org "))
    again_phone = services.signup_create(roundtable=rt, **family(8, phone="1 860 555 0142"))
    assert not again_email.created and again_email.signup.pk == first.signup.pk and again_email.token is None
    assert again_phone.signup.pk == first.signup.pk
    assert FamilySignup.objects.filter(roundtable=rt).count() == 1


def test_a_family_that_cancelled_may_sign_up_again(make_roundtable, family):
    rt = make_roundtable()
    first = services.signup_create(roundtable=rt, **family())
    services.signup_cancel(signup=first.signup)
    again = services.signup_create(roundtable=rt, **family())
    assert again.created and again.signup.pk != first.signup.pk


@pytest.mark.parametrize("phone", ["000-000-0000", "123-456-7890", "860-055-0142", "911-555-0142", "555-0142",
                                   "860-555-01420", "2-860-555-0142", "860-555-O142", "call me"])
def test_impossible_phone_numbers_are_refused(phone):
    with pytest.raises(errors.InvalidSignup) as refused:
        services.phone_normalise(phone)
    assert refused.value.field == "phone"


@pytest.mark.parametrize("phone,digits", [("(860) 555-0142", "8605550142"), ("860.555.0142", "8605550142"),
                                          ("1-203-555-0188", "2035550188"), ("+1 203 555 0188", "2035550188")])
def test_us_phone_numbers_are_normalised(phone, digits):
    assert services.phone_normalise(phone) == digits


@pytest.mark.parametrize("overrides,field", [
    (dict(email="", phone=""), None),
    (dict(phone="000-000-0000"), "phone"),
    (dict(email="not-an-email"), "email"),
    (dict(name="x" * 10_000), "name"),
    (dict(name="<script>alert(1)</script>"), "name"),
    (dict(accessibility_needs="<img src=x onerror=alert(1)>"), "accessibility_needs"),
    (dict(name="   "), "name"),
    (dict(children_count=11), "children_count"),
    (dict(consent=False), "consent"),
    (dict(interpretation_language="xx"), "interpretation_language"),
])
def test_bad_signups_are_refused_and_change_nothing(make_roundtable, family, overrides, field):
    rt = make_roundtable()
    with pytest.raises(errors.InvalidSignup) as refused:
        services.signup_create(roundtable=rt, **family(**overrides))
    assert refused.value.field == field
    assert str(refused.value)
    assert FamilySignup.objects.count() == 0


def test_refusals_are_written_in_the_active_language(make_roundtable, family):
    from django.utils import translation

    rt = make_roundtable()
    with translation.override("es"), pytest.raises(errors.InvalidSignup) as refused:
        services.signup_create(roundtable=rt, **family(email="", phone=""))
    with translation.override("es"):
        assert "correo electrónico o un número de teléfono" in str(refused.value)


def test_a_roundtable_that_is_over_takes_no_signups(make_roundtable, family):
    rt = make_roundtable(days=-1)
    with pytest.raises(errors.SignupClosed):
        services.signup_create(roundtable=rt, **family())
    assert FamilySignup.objects.count() == 0


def test_cancelling_twice_is_refused(make_roundtable, family):
    result = services.signup_create(roundtable=make_roundtable(), **family())
    services.signup_cancel(signup=result.signup)
    with pytest.raises(errors.NotSignedUp):
        services.signup_cancel(signup=result.signup)


def test_more_seats_promote_the_waitlist(make_roundtable, family, organiser):
    rt = make_roundtable(capacity=1)
    services.signup_create(roundtable=rt, **family(1))
    waiting = services.signup_create(roundtable=rt, **family(2)).signup
    rt.capacity = 2
    promoted = services.roundtable_update(roundtable=rt, by=organiser.user)
    assert [s.pk for s in promoted] == [waiting.pk]


def test_only_organisers_create_roundtables_or_check_in(make_roundtable, family, coordinator):
    rt = make_roundtable(days=0.01)
    signup = services.signup_create(roundtable=rt, **family()).signup
    with pytest.raises(errors.NotAllowed):
        services.signup_check_in(signup=signup, by=coordinator.user)
    with pytest.raises(errors.NotAllowed):
        services.roundtable_create(by=coordinator.user, title_en="x", starts_at=rt.starts_at, ends_at=rt.ends_at,
                                   capacity=3, address="here")


def test_check_in_opens_on_the_day(make_roundtable, family, organiser):
    rt = make_roundtable(days=3)
    signup = services.signup_create(roundtable=rt, **family()).signup
    with pytest.raises(errors.CheckInClosed):
        services.signup_check_in(signup=signup, by=organiser.user)
    # Five minutes before it starts, but on its day (a run just after midnight makes a start at 00:0x).
    its_day = timezone.localtime(rt.starts_at).replace(hour=0, minute=0, second=1, microsecond=0)
    on_the_day = max(rt.starts_at - timedelta(minutes=5), its_day)
    services.signup_check_in(signup=signup, by=organiser.user, now=on_the_day)
    assert selectors.needs_summary(roundtable=rt).checked_in == 1
    services.signup_check_in(signup=signup, by=organiser.user, present=False, now=on_the_day)
    assert selectors.needs_summary(roundtable=rt).checked_in == 0


def test_needs_summary_counts_interpreters_children_and_accessibility_of_active_signups(
        make_roundtable, family, django_assert_max_num_queries):
    rt = make_roundtable(capacity=2)
    services.signup_create(roundtable=rt, **family(1, interpretation_language="es", children_count=2))
    services.signup_create(roundtable=rt, **family(2, interpretation_language="pt", accessibility_needs="Ramp"))
    services.signup_create(roundtable=rt, **family(3, interpretation_language="es", children_count=1))
    gone = services.signup_create(roundtable=rt, **family(4, interpretation_language="ar", children_count=5))
    services.signup_cancel(signup=gone.signup)
    with django_assert_max_num_queries(2):
        needs = selectors.needs_summary(roundtable=rt)
    assert (needs.confirmed, needs.waitlisted, needs.cancelled) == (2, 1, 1)
    assert needs.children == 3 and needs.families_with_children == 2 and needs.accessibility == 1
    assert needs.interpreters == [("Spanish", 2), ("Portuguese", 1)]


def test_insights_are_recorded_after_the_roundtable_by_organisers(make_roundtable, organiser, coordinator):
    upcoming, past = make_roundtable(), make_roundtable(days=-2)
    with pytest.raises(errors.InvalidInsight):
        services.insight_record(roundtable=upcoming, by=organiser.user, tag="barrier", text="Buses")
    with pytest.raises(errors.NotAllowed):
        services.insight_record(roundtable=past, by=coordinator.user, tag="barrier", text="Buses")
    with pytest.raises(errors.InvalidInsight):
        services.insight_record(roundtable=past, by=organiser.user, tag="barrier", kind="quote", text="x" * 281)
    services.insight_record(roundtable=past, by=organiser.user, tag="barrier", text="No bus on early days")
    services.insight_record(roundtable=past, by=organiser.user, tag="helps", kind="quote", text="She listened.")
    groups = {g["tag"]: g for g in selectors.insights_summary()}
    assert [i.text for i in groups["barrier"]["themes"]] == ["No bus on early days"]
    assert [i.text for i in groups["helps"]["quotes"]] == ["She listened."]
    assert groups["idea"]["roundtables"] == 0 and Insight.objects.count() == 2


def test_purge_removes_contact_details_after_the_retention_period_and_keeps_counts(
        make_roundtable, family, organiser, settings):
    settings.ROUNDTABLE_CONTACT_RETENTION_DAYS = 30
    old, recent = make_roundtable(days=-40), make_roundtable(days=-10)
    before = timezone.now() - timedelta(days=60)
    for rt in (old, recent):
        services.signup_create(roundtable=rt, now=before,
                               **family(1, phone="860-555-0142", children_count=2, interpretation_language="es",
                                        accessibility_needs="Large print"))
    services.insight_record(roundtable=old, by=organiser.user, tag="idea", text="Evening times")
    call_command("purge_roundtable_contacts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    purged = FamilySignup.objects.get(roundtable=old)
    kept = FamilySignup.objects.get(roundtable=recent)
    assert (purged.name, purged.email, purged.phone, purged.accessibility_needs) == ("", "", "", "")
    assert purged.contact_purged_at is not None
    assert kept.name == "Family 1" and kept.phone == "8605550142"
    needs = selectors.needs_summary(roundtable=old)
    assert (needs.confirmed, needs.children, needs.accessibility, needs.interpreters) == (1, 2, 1, [("Spanish", 1)])
    assert Insight.objects.filter(roundtable=old).count() == 1
    assert services.contacts_purge() == 0  # idempotent


def test_the_retention_period_defaults_to_90_days(settings):
    if hasattr(settings, "ROUNDTABLE_CONTACT_RETENTION_DAYS"):
        del settings.ROUNDTABLE_CONTACT_RETENTION_DAYS
    assert services.retention_days() == 90


def test_the_demo_step_is_idempotent(orgs, home_page):
    from hub.demo import seed_site_and_people
    from roundtable.demo import seed_roundtables
    from roundtable.models import Roundtable

    seed_site_and_people()
    seed_roundtables()
    counts = (Roundtable.objects.count(), FamilySignup.objects.count(), Insight.objects.count())
    seed_roundtables()
    assert (Roundtable.objects.count(), FamilySignup.objects.count(), Insight.objects.count()) == counts
    assert counts[0] == 5 and counts[2] >= 3  # four open for sign-up, and a copy the organiser is drafting
    assert Roundtable.objects.filter(is_draft=True).count() == 1
    upcoming = selectors.upcoming()
    assert len(upcoming) == 3
    assert any(rt.is_virtual for rt in upcoming) and any(rt.held_in == "es" for rt in upcoming)
    assert any(rt.waitlisted for rt in upcoming)
