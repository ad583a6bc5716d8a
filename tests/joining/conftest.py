"""People who invite (a Hartford and a New Haven coordinator, a trainer, state staff) and helpers to read
the invitation link out of Django's test outbox."""

import io
import re

import pytest

from hub.roles import COORDINATOR, STATE_STAFF, TRAINER, VISITOR

LINK = re.compile(r"https?://\S+/join/([A-Za-z0-9_-]+)/")


@pytest.fixture
def inviters(orgs, make_person):
    return {
        "carla": make_person("carla", roles=(COORDINATOR,), home_district=orgs["Hartford"]),
        "dwayne": make_person("dwayne", roles=(COORDINATOR,), home_district=orgs["New Haven"]),
        "tomas": make_person("tomas", roles=(TRAINER,)),
        "samira": make_person("samira", roles=(STATE_STAFF,)),
        "ana": make_person("ana", roles=(VISITOR,), home_district=orgs["Hartford"]),
    }


def token_in(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def last_token(mailbox, to: str) -> str:
    sent = [m for m in mailbox if to in m.to]
    assert sent, f"no email to {to}"
    return token_in(sent[-1])


def csv_file(text: str, encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    buffer = io.BytesIO(data)
    buffer.name = "staff.csv"
    return buffer


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """`with send(): ...` runs the emails the block's transactions queued (hub.mail.mail_on_commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def invite(inviters, orgs, send, mailoutbox):
    """invite(email, by="carla", **fields) -> (invitation, token): invited through the service, link read
    from the email."""
    from hub.joining import services
    from hub.roles import VISITOR

    def make(email="lena.park@example.org", *, by="carla", role=VISITOR, district="Hartford", **fields):
        fields.setdefault("name", "Lena Park")
        with send():
            invitation = services.invitation_create(by=inviters[by].user, data=services.InvitationData(
                email=email, role=role, district=orgs[district] if district else None, **fields))
        return invitation, last_token(mailoutbox, invitation.email)

    return make
