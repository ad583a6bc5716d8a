"""Demo privacy requests: an export and a dry run of an erasure, made through the services, so the state
staff's record of privacy requests (`/privacy/requests/`) shows what an operator's requests look like.
Idempotent: nothing is added once the demo operator has a request on record."""

import tempfile

from hub.demo import demo_step
from hub.privacy.selectors import privacy_requests, subject_for_person
from hub.privacy.services import privacy_erase, privacy_export

DEMO_OPERATOR = "Samira Okafor (demo), ticket DEMO-1"


@demo_step(order=95)
def seed_privacy_requests() -> str:
    if privacy_requests().filter(operator=DEMO_OPERATOR).exists():
        return "already there"
    subject = subject_for_person(username="nadia")
    with tempfile.TemporaryDirectory() as folder:
        privacy_export(subject=subject, operator=DEMO_OPERATOR, directory=folder)
    privacy_erase(subject=subject, operator=DEMO_OPERATOR, confirm=False)
    return "an export and an erasure dry run on record"
