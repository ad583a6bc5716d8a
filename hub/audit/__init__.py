"""The audit trail (label `audit`): who did what to whose data, when — every read of a student case, every
change the services make, every export of personal data and every refused attempt.

It sits in the foundation because every app that hands out personal data writes to it: coordinators
(cases, rosters, the board) and roundtable (families' sign-ups). `services.audit_record` writes an
entry; `selectors.entries_concerning` is the one query of who sees which entries (the districts an entry
concerns, and the person's own actions). The page that shows it is coordinators' audit trail.
"""
