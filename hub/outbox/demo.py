"""Demo outbox: the messages `seed_demo` queues as it signs families and visitors up are already there;
this step adds one that failed (the relay refused every try) and one skipped, so the outbox page
(`/outbox/`) shows each state and its "send again" button. Idempotent by key."""

from hub.demo import demo_step
from hub.outbox.models import Kind, Message, State


@demo_step(order=96)
def seed_outbox() -> str:
    from hub.models import Person

    person = Person.objects.filter(user__username="visitor").select_related("user").first()
    made = 0
    for key, state, error in (
        ("demo:outbox:failed", State.FAILED, "SMTPConnectError: (421, 'Service not available') (demo)"),
        ("demo:outbox:skipped", State.SKIPPED, "The person's account was switched off or erased."),
    ):
        _, created = Message.objects.get_or_create(key=key, defaults={
            "kind": Kind.REMINDER, "recipient": person.user.email if person else "ana@example.org",
            "subject": "Tomorrow: LEAP 101 live practice", "language": "en", "person": person,
            "district_id": person.home_district_id if person else None,
            "body_text": "Hello,\n\nA reminder that you have a seat at LEAP 101 live practice tomorrow.\n",
            "state": state, "attempts": 6 if state == State.FAILED else 0, "last_error": error})
        made += created
    return f"{made} demo messages" if made else "already there"
