"""Demo content for the discussion space: the standing rooms and a few believable conversations.

Registered as a `seed_demo` step when `seed_demo` imports every app's `demo` module. Idempotent:
each demo message has a fixed client id, and a resend with the same client id is stored once.
"""

from django.contrib.auth import get_user_model

from hub.demo import demo_step
from hub.discussion import services as discussion
from hub.discussion.models import Room

CONVERSATIONS = {
    "district-hartford": [
        ("visitor", "First visit with the Ortiz family went well. Texting the day before and offering to meet "
                    "at the library made the difference."),
        ("marcus", "Same here: mum works nights, so a Saturday visit at the park worked better than a home visit."),
        ("coordinator", "Great notes, both. Interpreter list for Spanish and Portuguese is on "
                        "https://portal.ct.gov/sde — ask me if a family needs another language."),
    ],
    "community": [
        ("trainer", "Welcome to the statewide room! Share what worked on a hard visit — and remember: "
                    "no family names or addresses here."),
    ],
    "coordinators": [
        ("coordinator", "Hartford has 12 families who said yes this month and 9 certified visitors free."),
        ("regional", "Thanks Carla — East Hartford has two visitors who could pair with yours."),
    ],
    "trainers": [
        ("trainer", "Role-play for next week's LEAP 101 practice: the parent who cancels twice."),
        ("trainer2", "I'll bring the wellness check-in to open the session."),
    ],
}


@demo_step(order=50)
def seed_discussion() -> str:
    created_rooms = discussion.rooms_ensure()
    users = {u.username: u for u in get_user_model().objects.all()}
    posted = 0
    for slug, lines in CONVERSATIONS.items():
        room = Room.objects.get(slug=slug)
        for n, (username, body) in enumerate(lines):
            author = users.get(username)
            if author is None:
                continue
            _, created = discussion.message_post(room=room, author=author, body=body,
                                                 client_id=f"demo-{slug}-{n}")
            posted += created
    return f"{created_rooms} rooms and {posted} messages created ({Room.objects.count()} rooms in all)"
