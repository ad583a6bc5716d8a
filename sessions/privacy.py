"""What the live-sessions app holds about a person (registered into hub.privacy from SessionsConfig.ready()).

Registrations and attendance stay after erasure, attached to the anonymised account, so seat counts,
attendance figures and practice credits add up as before; the secret calendar address is deleted.
"""

from hub.privacy.registry import PERSON, delete, holding_register, keep

STAFF_ACT = "Who did it, for the record; the account is anonymised."

holding_register(
    "training_sessions.Registration", subject=PERSON, find="person__user", section="Sessions you signed up for",
    fields=[("Session", "occurrence.series.title"), ("Date", "occurrence.original_start"), ("Status", "status"),
            ("Signed up", "created_at")],
    erase=keep(), reason="Seat and attendance counts of each session stay; the account is anonymised.")
holding_register(
    "training_sessions.Attendance", subject=PERSON, find="registration__person__user", section="Attendance",
    fields=[("Session", "registration.occurrence.series.title"), ("Date", "registration.occurrence.original_start"),
            ("Attended", "present")],
    erase=keep(), reason="Attendance figures stay; the account is anonymised.")
holding_register(
    "training_sessions.Attendance", subject=PERSON, find="marked_by", erase=keep(), reason=STAFF_ACT)
holding_register(
    "training_sessions.CalendarFeed", subject=PERSON, find="person__user", section="Personal calendar feed",
    fields=[("Created", "created_at")],
    erase=delete(), reason="Your secret calendar address; it stops working.")
holding_register(
    "training_sessions.Series", subject=PERSON, find="created_by", section="Session series you created",
    fields=[("Series", "event.title"), ("Created", "created_at")], erase=keep(), reason=STAFF_ACT)
holding_register(
    "training_sessions.Series", subject=PERSON, find="facilitators__user", section="Sessions you facilitate",
    fields=[("Series", "event.title")], erase=keep(),
    reason="The session's facilitators; your name shows as '(removed)'.")
holding_register(
    "training_sessions.RecordingWatch", subject=PERSON, find="person__user", section="Recordings you made up a session by",
    fields=[("Recording", "recording.title"), ("Seconds played", "played_seconds"), ("Your answer", "reflection"),
            ("Counted", "counted_at")],
    erase=delete(), reason="How much of a recording you played and your own words about it; the renewal credit it "
                           "earned is kept with your training record.")
