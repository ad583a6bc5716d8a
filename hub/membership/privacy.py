"""What account life holds about a person (registered from MembershipConfig.ready())."""

from hub.privacy.holdings import STAFF_ACT
from hub.privacy.registry import PERSON, holding_register, keep

holding_register(
    "membership.Departure", subject=PERSON, find="person__user", section="Leaving or moving district",
    fields=[("What", "kind"), ("State", "state"), ("From", "from_district.name"), ("To", "to_district.name"),
            ("When", "created_at"), ("Decided", "decided_at")],
    erase=keep(), reason="Which district you belonged to and when (the audit trail names it); the row points at "
                         "your profile, which erasure anonymises.")
holding_register("membership.Departure", subject=PERSON, find="requested_by", section="Departures you recorded",
                 fields=[("What", "kind"), ("When", "created_at")], erase=keep(), reason=f"Departures: {STAFF_ACT}.")
holding_register("membership.Departure", subject=PERSON, find="decided_by", section="Moves you decided",
                 fields=[("State", "state"), ("When", "decided_at")], erase=keep(), reason=f"Moves: {STAFF_ACT}.")
