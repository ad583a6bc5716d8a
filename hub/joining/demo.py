"""Demo invitations: a few waiting in Hartford and New Haven (one expired), and one accepted.

Registered as a `seed_demo` step; idempotent (an address with an invitation or an account is skipped),
built through the services. The demo links are not printed: the emails go to the console in DEBUG."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from hub.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, demo_login_source, demo_step
from hub.joining import services
from hub.joining.models import Invitation
from hub.models import District
from hub.roles import VISITOR

PENDING = [
    ("coordinator", "Hartford", "Elena Marquez", "elena.marquez", "Burns Latino Studies Academy", "es"),
    ("coordinator", "Hartford", "Tom O'Neill", "tom.oneill", "Capitol Region Youth Service Bureau", "en"),
    ("coordinator.nh", "New Haven", "Priya Shah", "priya.shah", "Fair Haven School", "en"),
]
EXPIRED = ("coordinator", "Hartford", "Kofi Mensah", "kofi.mensah", "Bulkeley High School", "en")
ACCEPTED = ("coordinator", "Hartford", "Lucía Ramos", "lucia.ramos", "Parkville Community School", "es")


def _invite(inviter, district, name, local, organisation, language):
    email = f"{local}@{DEMO_EMAIL_DOMAIN}"
    if Invitation.objects.filter(email=email).exists() or get_user_model().objects.filter(email=email).exists():
        return None
    by = get_user_model().objects.filter(username=inviter).first()
    if by is None:
        return None
    return services.invitation_create(by=by, data=services.InvitationData(
        email=email, name=name, role=VISITOR, district=District.objects.get(name=district),
        organisation=organisation, language=language))


@demo_step(order=20)
def seed_invitations() -> str:
    made = sum(_invite(*spec) is not None for spec in PENDING)
    expired = _invite(*EXPIRED)
    if expired is not None:  # sent three weeks ago: its link has run out
        Invitation.objects.filter(pk=expired.pk).update(
            created_at=timezone.now() - timedelta(days=21), last_sent_at=timezone.now() - timedelta(days=21),
            expires_at=timezone.now() - timedelta(days=7))
        made += 1
    accepted = _invite(*ACCEPTED)
    if accepted is not None:
        # The token is only in the email; the demo accepts through the service with a known one.
        token, accepted.token_hash = services._new_token()
        accepted.save(update_fields=["token_hash"])
        services.invitation_accept(token=token, name=accepted.name, language=accepted.language,
                                   password=DEMO_PASSWORD)
        made += 1
    return f"{made} invitations created ({Invitation.objects.count()} in all)"


# Learners from elsewhere: one from Rhode Island waiting in the trainers' queue, one from Ohio approved by
# the demo trainer (signs in with the address below and the demo password).
LEARNERS = [
    ("Keisha Brown", "keisha.brown", "Providence Public Schools", "Rhode Island", "United States", "en", False),
    ("Gabriela Torres", "gabriela.torres", "Cleveland Family Engagement Network", "Ohio", "United States", "es", True),
]


@demo_login_source
def learner_logins() -> list[tuple[str, str, str]]:
    """The approved demo learner's login, for the demo logins `make run` prints (she signs in with her
    address: a learner's user name)."""
    return [(f"{local}@{DEMO_EMAIL_DOMAIN}", DEMO_PASSWORD, f"learner from {region}: LEAP 101 only, in Spanish")
            for _name, local, _organisation, region, _country, _language, approve in LEARNERS if approve]


@demo_step(order=21)
def seed_learners() -> str:
    from hub.joining.errors import AlreadyDecided
    from hub.joining.models import LearnerRequest

    trainer = get_user_model().objects.filter(username="trainer").first()
    made = 0
    for name, local, organisation, region, country, language, approve in LEARNERS:
        email = f"{local}@{DEMO_EMAIL_DOMAIN}"
        if LearnerRequest.objects.filter(email=email).exists() or get_user_model().objects.filter(email=email).exists():
            continue
        result = services.learner_signup(data=services.LearnerData(
            name=name, email=email, organisation=organisation, region=region, country=country,
            language=language, password=DEMO_PASSWORD))
        made += 1
        if approve and trainer is not None and result.request is not None:
            try:
                services.learner_approve(learner_request=result.request, by=trainer)
            except AlreadyDecided:  # LEARNER_SIGNUP_APPROVAL=open approved it at once
                pass
    waiting = LearnerRequest.objects.filter(state=LearnerRequest.State.PENDING).count()
    return (f"{made} learner requests created ({waiting} waiting at /join/learners/); approved learner: "
            f"gabriela.torres@{DEMO_EMAIL_DOMAIN}")
