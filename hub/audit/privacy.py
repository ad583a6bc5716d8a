"""What the audit trail holds about a person (registered into hub.privacy from AuditConfig.ready()).

The trail is the record of access to education records (FERPA) and to families' contact details: it
stays, its actors' accounts anonymised. The entries about a student case or a visitor's training record
are registered by coordinators (it knows which objects those are).
"""

from hub.privacy.registry import PERSON, exempt_register, holding_register, keep, name_mentions_in

holding_register(
    "audit.AuditEntry", subject=PERSON, find="actor", section="What you did with people's records (audit trail)",
    # Not the detail: it may name other people ("Visitors: Ana Ruiz, Marcus Bell").
    fields=[("When", "at"), ("What", "action"), ("On", "object_type"), ("Which", "object_id"), ("Rows", "rows")],
    erase=keep(), reason="The record of access to education records (FERPA) stays; the account is anonymised.")
audit_find, audit_erase = name_mentions_in("audit.AuditEntry", "detail")
holding_register("audit.AuditEntry", subject=PERSON, find=audit_find, erase=audit_erase,
                 reason="'Visitors: <names>' in the trail: the name goes, the entry stays.")
exempt_register("audit.AuditEntryDistrict",
                reason="Which districts an audit entry concerns: an entry and a district, nothing about a person.")
