"""Refusals of the live-session rules. `str(error)` is written for the visitor or trainer who tried."""

from hub.errors import HubError


class SessionError(HubError):
    pass


class NotAllowed(SessionError):
    """The person may not do this (for example, a visitor scheduling a series)."""


class InvalidSeries(SessionError):
    """A series whose settings contradict themselves or whose recurrence is empty or too long."""


class NoSuchOccurrence(SessionError):
    """The series does not meet at that time."""


class OccurrencePast(SessionError):
    pass


class OccurrenceCancelled(SessionError):
    pass


class NotInAudience(SessionError):
    pass


class AlreadyRegistered(SessionError):
    pass


class NotRegistered(SessionError):
    pass


class AttendanceTooEarly(SessionError):
    pass


class InvalidMove(SessionError):
    pass


class RecordingRejected(SessionError):
    """An uploaded recording that is not audio or video, or too large."""


class MakeupRefused(SessionError):
    """The recording cannot count as a make-up for this person (not required, attended live, not open to them)."""


class InvalidProgress(SessionError):
    """A player's progress report or a reflection that cannot be read."""
